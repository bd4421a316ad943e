package dev.capstan.artifacts;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The artifact stores are adapters of a core port: they call core, never another adapter or api's wire types. */
class ModuleBoundariesTest {
  @Test
  void theArtifactsModuleImportsNoOtherAdapter() {
    var classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.capstan.artifacts");
    noClasses().should().dependOnClassesThat()
        .resideInAnyPackage("dev.capstan.local..", "dev.capstan.cli..", "dev.capstan.serve..", "dev.capstan.train..",
            "dev.capstan.kubernetes..", "dev.capstan.api..", "io.netty..")
        .check(classes);
  }
}
