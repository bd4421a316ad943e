package dev.capstan.core.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.capstan.api.registry.RegistryNames;
import dev.capstan.api.validation.InvalidSpecException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The registry's pure rules: numbering, the version state machine, compare-and-set aliases, names. */
class RegistryRulesTest {
  @Test
  void numbersAreNeverReusedAfterDeletion() {
    long mark = 0;
    mark = VersionNumbering.raise(mark, VersionNumbering.next(mark)); // 1
    mark = VersionNumbering.raise(mark, VersionNumbering.next(mark)); // 2
    // version 2 deleted: the mark is kept, so the next number is 3, not 2
    assertEquals(3, VersionNumbering.next(mark));
    assertEquals(2, VersionNumbering.raise(2, 1));
  }

  @Test
  void onlyPendingVersionsMove() {
    assertTrue(ModelVersionState.PENDING_REGISTRATION.canMoveTo(ModelVersionState.READY));
    assertTrue(ModelVersionState.PENDING_REGISTRATION.canMoveTo(ModelVersionState.FAILED_REGISTRATION));
    assertFalse(ModelVersionState.READY.canMoveTo(ModelVersionState.PENDING_REGISTRATION));
    assertFalse(ModelVersionState.FAILED_REGISTRATION.canMoveTo(ModelVersionState.READY));
    assertThrows(IllegalStateException.class, () -> ModelVersionState.READY.moveTo(ModelVersionState.FAILED_REGISTRATION));
    for (ModelVersionState s : ModelVersionState.values()) {
      assertFalse(s.description().isBlank());
    }
  }

  @Test
  void aliasChangesAreCompareAndSet() {
    AliasChange.Result moved = AliasChange.set(Map.of("production", 2L), "production", 3, ModelVersionState.READY, "7", "7");
    assertEquals(Map.of("production", 3L), moved.aliases());
    assertEquals("production: 2 -> 3", moved.describe());

    RegistryException stale = assertThrows(RegistryException.class,
        () -> AliasChange.set(Map.of("production", 2L), "production", 3, ModelVersionState.READY, "6", "7"));
    assertEquals(RegistryException.Reason.STALE, stale.reason());
    RegistryException pending = assertThrows(RegistryException.class,
        () -> AliasChange.set(Map.of(), "production", 3, ModelVersionState.PENDING_REGISTRATION, null, "7"));
    assertEquals(RegistryException.Reason.WRONG_STATE, pending.reason());
    assertEquals(RegistryException.Reason.NOT_FOUND,
        assertThrows(RegistryException.class, () -> AliasChange.delete(Map.of(), "staging", null, "1")).reason());
  }

  @Test
  void aVersionAnAliasPointsAtCannotBeDeleted() {
    RegistryException e = assertThrows(RegistryException.class, () -> AliasChange.checkDeletable(Map.of("production", 3L), 3));
    assertEquals(RegistryException.Reason.IN_USE, e.reason());
    assertTrue(e.getMessage().contains("'production'"), e.getMessage());
    AliasChange.checkDeletable(Map.of("production", 3L), 2);
  }

  @Test
  void formatsAreToldFromFileNames() {
    assertEquals(Optional.of(ModelFormat.ONNX), ModelFormat.detect(List.of("model.onnx", "README.md")));
    assertEquals(Optional.of(ModelFormat.PYTORCH), ModelFormat.detect(List.of("model.pt")));
    assertEquals(Optional.of(ModelFormat.CAPSTAN_DJL), ModelFormat.detect(List.of("model.yaml", "model.safetensors")));
    assertEquals(Optional.empty(), ModelFormat.detect(List.of("a.onnx", "b.pt")));
    assertEquals(Optional.empty(), ModelFormat.detect(List.of("weights/model.onnx")));
  }

  @Test
  void traversalInNamesAndVersionsIsRefused() {
    for (String name : List.of("..", "../x", "%2e%2e", "/etc", "a/b", "A")) {
      assertThrows(InvalidSpecException.class, () -> RegistryNames.modelName("metadata.name", name), name);
    }
    for (String version : List.of("..", "1/../2", "%2e%2e", "-1", "0", "1e3", "9999999999999")) {
      assertThrows(InvalidSpecException.class, () -> RegistryNames.version("version", version), version);
    }
    assertEquals(12, RegistryNames.version("version", "12"));
    for (String alias : List.of("latest", "v3", "../prod", "a b", "")) {
      assertThrows(InvalidSpecException.class, () -> RegistryNames.alias("alias", alias), alias);
    }
  }
}
