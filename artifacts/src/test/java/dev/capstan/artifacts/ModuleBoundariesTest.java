package dev.capstan.artifacts;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

/** The artifact stores are adapters of a core port: they call core, never another adapter or api's wire types. */
class ModuleBoundariesTest {
  @Test
  void theArtifactsModuleImportsNoOtherAdapter() {
    org.junit.jupiter.api.Assertions.assertTrue(java.nio.file.Files.isDirectory(java.nio.file.Path.of("target/classes/dev/capstan/artifacts")),
        "the module's classes were not found");
    // this module's own classes only: scanning the whole test class path (s3proxy, jclouds) takes long
    var classes = new ClassFileImporter().importPath(java.nio.file.Path.of("target/classes"));
    noClasses().should().dependOnClassesThat()
        .resideInAnyPackage("dev.capstan.local..", "dev.capstan.cli..", "dev.capstan.serve..", "dev.capstan.train..",
            "dev.capstan.kubernetes..", "dev.capstan.api..", "io.netty..")
        .check(classes);
  }
}
