package dev.concerto.player;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.GeneralCodingRules.ACCESS_STANDARD_STREAMS;
import static com.tngtech.archunit.library.GeneralCodingRules.NO_CLASSES_SHOULD_USE_JAVA_UTIL_LOGGING;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

@AnalyzeClasses(packages = "dev.concerto.player", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule noJavaFx = noClasses().should().dependOnClassesThat().resideInAnyPackage("javafx..")
            .because("a player runs headless on a Raspberry Pi");

    @ArchTest
    static final ArchRule noJul = NO_CLASSES_SHOULD_USE_JAVA_UTIL_LOGGING;

    @ArchTest
    static final ArchRule coreKnowsNoSockets = noClasses().that().resideInAPackage("..player.core..")
            .should().dependOnClassesThat().resideInAnyPackage("java.net..", "java.nio.channels..", "java.io..")
            .because("the player core is sans-I/O: bytes, sources and times in, effects out");

    @ArchTest
    static final ArchRule coreStartsNoThreads = noClasses().that().resideInAPackage("..player.core..")
            .should().dependOnClassesThat().areAssignableTo(Thread.class)
            .orShould().dependOnClassesThat().areAssignableTo(java.util.concurrent.Executor.class)
            .orShould().dependOnClassesThat().areAssignableTo(java.util.concurrent.locks.Lock.class)
            .because("the player core runs on the thread that calls it and is tested in memory");

    @ArchTest
    static final ArchRule coreKnowsNoShell = noClasses().that().resideInAPackage("..player.core..")
            .should().dependOnClassesThat().resideInAnyPackage("..player", "..player.synth..", "..player.cli..")
            .because("shells depend on the core, never the other way");

    @ArchTest
    static final ArchRule onePlayerSocketWriter = noClasses()
            .that().doNotHaveFullyQualifiedName(PlayerNode.class.getName())
            .and().areNotNestedClasses()
            .should().callMethod(java.net.DatagramSocket.class, "send", java.net.DatagramPacket.class)
            .because("a player's socket has one writer: its receive thread, through PlayerNode");

    @ArchTest
    static final ArchRule nestedSocketWritersOnlyInPlayerNode = noClasses()
            .that().areNestedClasses().and().haveNameNotMatching("dev\\.concerto\\.player\\.PlayerNode\\$.*")
            .should().callMethod(java.net.DatagramSocket.class, "send", java.net.DatagramPacket.class)
            .because("a player's socket has one writer: its receive thread, through PlayerNode");

    @ArchTest
    static final ArchRule onePlayerChannelWriter = noClasses()
            .that().resideInAPackage("dev.concerto.player")
            .and().haveNameNotMatching("dev\\.concerto\\.player\\.PlayerNode(\\$.*)?")
            .should().callMethod(java.nio.channels.DatagramChannel.class, "send", java.nio.ByteBuffer.class,
                    java.net.SocketAddress.class)
            .because("a player's channel has one writer: its receive loop's thread, through PlayerNode's replies");

    @ArchTest
    static final ArchRule consoleOnlyInCli = noClasses().that().resideOutsideOfPackage("..cli..")
            .should(ACCESS_STANDARD_STREAMS)
            .because("only CLI entry points print; everything else logs through SLF4J");
}
