package dev.concerto.protocol;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.GeneralCodingRules.NO_CLASSES_SHOULD_ACCESS_STANDARD_STREAMS;
import static com.tngtech.archunit.library.GeneralCodingRules.NO_CLASSES_SHOULD_USE_JAVA_UTIL_LOGGING;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The protocol is pure: the JDK and slf4j-api, no sockets, no threads of its own, no console. */
@AnalyzeClasses(packages = "dev.concerto.protocol", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule onlyTheJdkAndSlf4j = classes()
            .should().onlyDependOnClassesThat()
            .resideInAnyPackage("dev.concerto.protocol..", "java..", "javax.crypto..", "org.slf4j..")
            .because("shared-protocol depends on the JDK and slf4j-api at most");

    @ArchTest
    static final ArchRule noSockets = com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses()
            .should().dependOnClassesThat().resideInAnyPackage("java.net..", "java.nio.channels..")
            .because("codecs are bytes to values; transport lives in the player and the director");

    @ArchTest
    static final ArchRule noThreads = com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses()
            .should().dependOnClassesThat().areAssignableTo(Thread.class)
            .because("the protocol owns no threads");

    @ArchTest
    static final ArchRule noJul = NO_CLASSES_SHOULD_USE_JAVA_UTIL_LOGGING;

    @ArchTest
    static final ArchRule noConsole = NO_CLASSES_SHOULD_ACCESS_STANDARD_STREAMS;
}
