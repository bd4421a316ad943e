package dev.capstan.kubernetes.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The operator's placement settings, as its environment gives them. */
class PlacementSettingsTest {
  @Test
  void placementIsOnWithATwoMinuteGraceUnlessTheEnvironmentSaysOtherwise() {
    assertEquals(new PlacementSettings(true, Duration.ofSeconds(120)), PlacementSettings.fromEnvironment(Map.of()));
    assertEquals(new PlacementSettings(false, Duration.ofSeconds(30)), PlacementSettings.fromEnvironment(
        Map.of("CAPSTAN_GPU_PLACEMENT", "False", "CAPSTAN_GPU_PLACEMENT_GRACE_SECONDS", " 30 ")));
  }

  @Test
  void aValueItCannotReadIsRefusedNamingTheVariable() {
    var onOff = assertThrows(IllegalArgumentException.class, () -> PlacementSettings.fromEnvironment(Map.of("CAPSTAN_GPU_PLACEMENT", "yes")));
    assertEquals("CAPSTAN_GPU_PLACEMENT: expected true or false, got 'yes'", onOff.getMessage());
    for (String bad : new String[] {"-1", "86401", "2m", ""}) {
      var grace = assertThrows(IllegalArgumentException.class,
          () -> PlacementSettings.fromEnvironment(Map.of("CAPSTAN_GPU_PLACEMENT_GRACE_SECONDS", bad)));
      assertEquals("CAPSTAN_GPU_PLACEMENT_GRACE_SECONDS: expected whole seconds from 0 to 86400, got '" + bad + "'", grace.getMessage());
    }
  }
}
