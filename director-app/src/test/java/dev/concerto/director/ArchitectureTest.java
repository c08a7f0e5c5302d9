package dev.concerto.director;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.GeneralCodingRules.ACCESS_STANDARD_STREAMS;
import static com.tngtech.archunit.library.GeneralCodingRules.NO_CLASSES_SHOULD_USE_JAVA_UTIL_LOGGING;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

@AnalyzeClasses(packages = "dev.concerto.director", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule onlyUiTouchesScenes = noClasses().that().resideOutsideOfPackage("..director.ui..")
            .should().dependOnClassesThat().resideInAnyPackage("javafx.scene..")
            .because("only the ui package draws");

    @ArchTest
    static final ArchRule scoreAndEngineKnowNoJavaFx = noClasses()
            .that().resideInAnyPackage("..director.score..", "..director.engine..", "..director.live..")
            .should().dependOnClassesThat().resideInAnyPackage("javafx..")
            .allowEmptyShould(true)
            .because("the score, the engine and live input run headless under the CLI and in tests");

    @ArchTest
    static final ArchRule uiOpensNoSockets = noClasses().that().resideInAnyPackage("..director.ui..")
            .should().dependOnClassesThat().resideInAnyPackage("java.net..", "java.nio.channels..")
            .allowEmptyShould(true)
            .because("the ui forwards commands to the engine, which owns the sockets");

    @ArchTest
    static final ArchRule scoreDoesNotKnowTheEngine = noClasses().that().resideInAnyPackage("..director.score..")
            .should().dependOnClassesThat().resideInAnyPackage("..director.engine..", "..director.ui..", "..director.cli..")
            .allowEmptyShould(true)
            .because("data flows one way: score, then timeline, then engine");

    @ArchTest
    static final ArchRule engineCoresOpenNoSocketsAndStartNoThreads = noClasses()
            .that().resideInAnyPackage("..director.engine..")
            .should().dependOnClassesThat().resideInAnyPackage("java.net..", "java.nio.channels..")
            .orShould().dependOnClassesThat().areAssignableTo(Thread.class)
            .orShould().dependOnClassesThat().areAssignableTo(java.util.concurrent.Executor.class)
            .orShould().dependOnClassesThat().areAssignableTo(java.util.concurrent.locks.LockSupport.class)
            .because("the engine is pure (sans-I/O): bytes and times in, datagrams out through a DatagramSink; "
                    + "the net package's shells own the sockets and threads");

    @ArchTest
    static final ArchRule eachSocketHasOneWritingClass = noClasses()
            .that().doNotHaveFullyQualifiedName("dev.concerto.director.net.UdpLink")
            // OSC out is no player socket: its own socket, written by its own one thread (OSC subscribers)
            .and().doNotHaveFullyQualifiedName("dev.concerto.director.live.OscOut")
            .and().doNotHaveFullyQualifiedName("dev.concerto.director.net.JoinListener")
            .should().callMethod(java.nio.channels.DatagramChannel.class, "write", java.nio.ByteBuffer.class)
            .orShould().callMethod(java.nio.channels.DatagramChannel.class, "send", java.nio.ByteBuffer.class,
                    java.net.SocketAddress.class)
            .orShould().callMethod(java.net.DatagramSocket.class, "send", java.net.DatagramPacket.class)
            .because("one class writes each of the director's sockets: UdpLink the players' (called by one thread, "
                    + "the scheduler's while playing, the probe's before), JoinListener the join port's (its acks, "
                    + "on its own thread), OscOut the OSC output socket (on its own thread)");

    @ArchTest
    static final ArchRule onlyTheStreamsWriteDatagrams = noClasses()
            .that().resideOutsideOfPackage("..director.engine..")
            .should().callMethod(dev.concerto.director.engine.DatagramSink.class, "send", byte[].class, int.class)
            .because("every datagram comes from a per-player stream, driven by the scheduler");

    @ArchTest
    static final ArchRule liveNotesGoThroughTheScheduler = noClasses().that().resideInAPackage("..director.live..")
            .should().dependOnClassesThat().haveFullyQualifiedName("dev.concerto.director.net.UdpLink")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("dev.concerto.director.engine.Scheduler")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("dev.concerto.director.engine.TimedToneStream")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("dev.concerto.director.engine.LegacyStream")
            .because("live input queues its notes for the engine's scheduler thread (DirectorEngine.liveNote),"
                    + " the one thread that writes the players' sockets");

    @ArchTest
    static final ArchRule noJul = NO_CLASSES_SHOULD_USE_JAVA_UTIL_LOGGING;

    @ArchTest
    static final ArchRule consoleOnlyInCli = noClasses().that().resideOutsideOfPackage("..cli..")
            .should(ACCESS_STANDARD_STREAMS)
            .because("only CLI entry points print; everything else logs through SLF4J");
}
