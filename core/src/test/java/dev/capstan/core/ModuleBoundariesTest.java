package dev.capstan.core;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.equivalentTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleNameStartingWith;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import io.fabric8.kubernetes.client.CustomResource;
import org.junit.jupiter.api.Test;

/**
 * Dependencies point inward (STYLE.md 1): {@code api} and {@code core} hold wire types, policies
 * and plans only. They never reach for a socket, a process, the file system or a Kubernetes
 * client, and never for an adapter module; {@code api} does not know {@code core}.
 */
class ModuleBoundariesTest {
  /** Test classes, whether from a module's own test-classes or another module's test jar. */
  private static final ImportOption NO_TESTS = location ->
      ImportOption.Predefined.DO_NOT_INCLUDE_TESTS.includes(location) && !location.contains("-tests.jar");
  private static final JavaClasses CORE = new ClassFileImporter()
      .withImportOption(NO_TESTS)
      .importPackages("dev.capstan.core");
  private static final JavaClasses API = new ClassFileImporter()
      .withImportOption(NO_TESTS)
      .importPackages("dev.capstan.api");

  /** What a pure module must not touch: sockets, processes, files, a Kubernetes client. */
  private static final DescribedPredicate<JavaClass> IO = resideInAPackage("java.net..")
      .or(equivalentTo(ProcessBuilder.class))
      .or(equivalentTo(Process.class))
      .or(equivalentTo(ProcessHandle.class))
      .or(resideInAPackage("java.nio.file.."))
      .or(resideInAPackage("java.io").and(simpleNameStartingWith("File")))
      .or(resideInAPackage("io.fabric8.kubernetes.client..").and(not(equivalentTo(CustomResource.class))))
      .as("sockets, processes, files or a Kubernetes client");

  private static final DescribedPredicate<JavaClass> ADAPTERS = resideInAnyPackage(
      "dev.capstan.local..", "dev.capstan.cli..", "dev.capstan.serve..", "dev.capstan.train..",
      "dev.capstan.kubernetes..", "dev.capstan.gateway..")
      .as("an adapter module");

  @Test
  void bothModulesAreImported() {
    assertTrue(CORE.contain("dev.capstan.core.training.TrainingPlanner"), "core classes were not found");
    assertTrue(API.contain("dev.capstan.api.training.TrainingJobModel"), "api classes were not found");
  }

  private static final ArchRule CORE_DOES_NO_IO = noClasses().that().resideInAPackage("dev.capstan.core..")
      .should().dependOnClassesThat(IO)
      .because("core is pure: adapters do I/O through its ports");

  @Test
  void coreDoesNoIo() {
    CORE_DOES_NO_IO.check(CORE);
  }

  /** A class that breaks the rule, to show the rule is not vacuous. */
  static final class TestingFileReader {
    static String read(java.nio.file.Path p) throws java.io.IOException {
      try (var in = new java.io.FileInputStream(p.toFile())) {
        return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      }
    }
  }

  @Test
  void theRuleCatchesFileAccess() {
    JavaClasses offender = new ClassFileImporter().importClasses(TestingFileReader.class);
    assertTrue(CORE_DOES_NO_IO.evaluate(offender).hasViolation());
  }

  @Test
  void coreDoesNotKnowItsAdapters() {
    noClasses().that().resideInAPackage("dev.capstan.core..")
        .should().dependOnClassesThat(ADAPTERS)
        .because("dependencies point inward: adapters call core, never the reverse")
        .check(CORE);
  }

  @Test
  void apiDoesNoIo() {
    noClasses().that().resideInAPackage("dev.capstan.api..")
        .should().dependOnClassesThat(IO)
        .because("api holds wire types, validation and the codec over in-memory text")
        .check(API);
  }

  @Test
  void apiDoesNotKnowCoreOrAdapters() {
    noClasses().that().resideInAPackage("dev.capstan.api..")
        .should().dependOnClassesThat(resideInAPackage("dev.capstan.core..").or(ADAPTERS))
        .because("api is the innermost module")
        .check(API);
  }
}
