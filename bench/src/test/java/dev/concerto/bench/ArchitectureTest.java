package dev.concerto.bench;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.GeneralCodingRules.ACCESS_STANDARD_STREAMS;
import static com.tngtech.archunit.library.GeneralCodingRules.NO_CLASSES_SHOULD_USE_JAVA_UTIL_LOGGING;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

@AnalyzeClasses(packages = "dev.concerto.bench", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule noJul = NO_CLASSES_SHOULD_USE_JAVA_UTIL_LOGGING;

    @ArchTest
    static final ArchRule consoleOnlyInCli = noClasses().that().resideOutsideOfPackages("..cli..", "..bench.process..")
            .should(ACCESS_STANDARD_STREAMS)
            .because("suites report through the context's log stream; only the CLI prints (and the mains a suite"
                    + " runs as their own processes, whose stdout it reads)");

    @ArchTest
    static final ArchRule measuresFromOutside = noClasses().that().resideOutsideOfPackage("..bench.process..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.concerto.player..", "dev.concerto.director..")
            .because("the bench runs the player and director as processes (their jars are 'provided' only for build"
                    + " order); only the mains of bench.process, started as director-side processes, use them");
}
