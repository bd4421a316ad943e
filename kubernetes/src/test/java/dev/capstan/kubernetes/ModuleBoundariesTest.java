package dev.capstan.kubernetes;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Cluster mode is an adapter beside local mode: it calls core and api, never another adapter. */
class ModuleBoundariesTest {
  @Test
  void theKubernetesModuleImportsNoOtherAdapter() {
    var classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.capstan.kubernetes");
    noClasses().should().dependOnClassesThat()
        .resideInAnyPackage("dev.capstan.local..", "dev.capstan.cli..", "dev.capstan.serve..", "dev.capstan.train..",
            "dev.capstan.gateway..")
        .check(classes);
  }
}
