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
    static final ArchRule noJul = NO_CLASSES_SHOULD_USE_JAVA_UTIL_LOGGING;

    @ArchTest
    static final ArchRule consoleOnlyInCli = noClasses().that().resideOutsideOfPackage("..cli..")
            .should(ACCESS_STANDARD_STREAMS)
            .because("only CLI entry points print; everything else logs through SLF4J");
}
