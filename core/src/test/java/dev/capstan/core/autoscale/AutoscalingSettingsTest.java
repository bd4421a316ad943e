package dev.capstan.core.autoscale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.capstan.api.serving.AutoscalingOverrides;
import dev.capstan.api.serving.ScaleMetric;
import dev.capstan.api.serving.Scaling;
import java.time.Duration;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Knative's defaults, its rules for resolving the per-replica target, and the bounds of every knob. */
class AutoscalingSettingsTest {
  private static AutoscalingSettings with(UnaryOperator<AutoscalingSettings.Builder> change) {
    return change.apply(AutoscalingSettings.builder()).build();
  }

  @Test
  void defaultsAreKnativesKpaDefaults() {
    AutoscalingSettings d = AutoscalingSettings.defaults();
    assertEquals(ScaleMetric.CONCURRENCY, d.metric());
    assertEquals(Duration.ofSeconds(60), d.stableWindow());
    assertEquals(Duration.ofSeconds(6), d.panicWindow());
    assertEquals(200, d.panicThresholdPercentage());
    assertEquals(70, d.targetUtilizationPercentage());
    assertEquals(1000, d.maxScaleUpRate());
    assertEquals(2, d.maxScaleDownRate());
    assertEquals(Duration.ofSeconds(2), d.tick());
    assertEquals(Duration.ofSeconds(30), d.scaleToZeroGracePeriod());
    assertEquals(Duration.ofSeconds(90), d.idleBeforeZero());
    assertEquals(100, d.perReplicaTotal());
    assertEquals(70, d.perReplicaTarget(), 1e-9);
  }

  @Test
  void targetResolvesAsKnativeDoes() {
    assertEquals(7, with(b -> b.containerConcurrency(10)).perReplicaTarget(), 1e-9,
        "containerConcurrency is the target when none is given");
    assertEquals(7, with(b -> b.containerConcurrency(10).scaleTarget(50)).perReplicaTarget(), 1e-9,
        "a target above the hard limit is lowered to it");
    assertEquals(3.5, with(b -> b.containerConcurrency(10).scaleTarget(5)).perReplicaTarget(), 1e-9);
    assertEquals(35, with(b -> b.scaleTarget(50)).perReplicaTarget(), 1e-9);
    assertEquals(140, with(b -> b.metric(ScaleMetric.RPS)).perReplicaTarget(), 1e-9, "rps defaults to 200");
    assertEquals(140, with(b -> b.metric(ScaleMetric.RPS).containerConcurrency(10)).perReplicaTarget(), 1e-9,
        "the concurrency limit does not bound an rps target");
    assertEquals(50, with(b -> b.scaleTarget(50).targetUtilizationPercentage(100)).perReplicaTarget(), 1e-9);
    assertEquals(1, with(b -> b.scaleTarget(0.5)).perReplicaTarget(), 1e-9, "never below one");
  }

  @Test
  void panicWindowIsAShareOfTheStableWindowAndAtLeastOneSecond() {
    assertEquals(Duration.ofSeconds(3), with(b -> b.panicWindowPercentage(5)).panicWindow());
    assertEquals(Duration.ofSeconds(1), with(b -> b.stableWindow(Duration.ofSeconds(4))).panicWindow());
  }

  @Test
  void everyKnobCanBeOverriddenAndTheRestStay() {
    AutoscalingSettings s = with(b -> b.minReplicas(0).maxReplicas(3).stableWindow(Duration.ofSeconds(6)));
    assertEquals(0, s.minReplicas());
    assertEquals(3, s.maxReplicas());
    assertEquals(Duration.ofSeconds(6), s.stableWindow());
    assertEquals(AutoscalingSettings.defaults().scaleToZeroGracePeriod(), s.scaleToZeroGracePeriod());
    assertEquals(s, s.toBuilder().build());
  }

  @Test
  void aServicesScalingAndItsRevisionsConcurrencyBecomeSettings() {
    AutoscalingOverrides overrides = new AutoscalingOverrides(Optional.of(Duration.ofSeconds(6)), Optional.of(20.0),
        Optional.of(300.0), Optional.of(50.0), Optional.of(4.0), Optional.of(3.0), Optional.of(Duration.ofSeconds(2)));
    AutoscalingSettings s = AutoscalingSettings.of(new Scaling(0, 4, ScaleMetric.CONCURRENCY, Optional.of(8.0), overrides), 4);
    assertEquals(AutoscalingSettings.builder().minReplicas(0).maxReplicas(4).scaleTarget(8).containerConcurrency(4)
        .stableWindow(Duration.ofSeconds(6)).panicWindowPercentage(20).panicThresholdPercentage(300)
        .targetUtilizationPercentage(50).maxScaleUpRate(4).maxScaleDownRate(3)
        .scaleToZeroGracePeriod(Duration.ofSeconds(2)).build(), s);
    assertEquals(2, s.perReplicaTarget(), 1e-9, "the target is lowered to containerConcurrency, then halved");

    AutoscalingSettings plain = AutoscalingSettings.of(
        new Scaling(1, 1, ScaleMetric.RPS, Optional.empty(), AutoscalingOverrides.NONE), 0);
    assertEquals(AutoscalingSettings.builder().metric(ScaleMetric.RPS).maxReplicas(1).build(), plain);
  }

  static Stream<Arguments> badKnobs() {
    return Stream.of(
        Arguments.of("scaleTarget", (UnaryOperator<AutoscalingSettings.Builder>) b -> b.scaleTarget(-1)),
        Arguments.of("scaleTarget", (UnaryOperator<AutoscalingSettings.Builder>) b -> b.scaleTarget(Double.NaN)),
        Arguments.of("containerConcurrency", (UnaryOperator<AutoscalingSettings.Builder>) b -> b.containerConcurrency(1001)),
        Arguments.of("targetUtilizationPercentage", (UnaryOperator<AutoscalingSettings.Builder>) b -> b.targetUtilizationPercentage(0)),
        Arguments.of("targetUtilizationPercentage", (UnaryOperator<AutoscalingSettings.Builder>) b -> b.targetUtilizationPercentage(101)),
        Arguments.of("stableWindow", (UnaryOperator<AutoscalingSettings.Builder>) b -> b.stableWindow(Duration.ZERO)),
        Arguments.of("stableWindow", (UnaryOperator<AutoscalingSettings.Builder>) b -> b.stableWindow(Duration.ofHours(2))),
        Arguments.of("panicWindowPercentage", (UnaryOperator<AutoscalingSettings.Builder>) b -> b.panicWindowPercentage(0.5)),
        Arguments.of("panicThresholdPercentage", (UnaryOperator<AutoscalingSettings.Builder>) b -> b.panicThresholdPercentage(100)),
        Arguments.of("maxScaleUpRate", (UnaryOperator<AutoscalingSettings.Builder>) b -> b.maxScaleUpRate(1)),
        Arguments.of("maxScaleDownRate", (UnaryOperator<AutoscalingSettings.Builder>) b -> b.maxScaleDownRate(0.5)),
        Arguments.of("tick", (UnaryOperator<AutoscalingSettings.Builder>) b -> b.tick(Duration.ZERO)),
        Arguments.of("scaleToZeroGracePeriod", (UnaryOperator<AutoscalingSettings.Builder>) b -> b.scaleToZeroGracePeriod(Duration.ofSeconds(-1))),
        Arguments.of("maxReplicas", (UnaryOperator<AutoscalingSettings.Builder>) b -> b.maxReplicas(0)),
        Arguments.of("maxReplicas", (UnaryOperator<AutoscalingSettings.Builder>) b -> b.maxReplicas(1001)),
        Arguments.of("minReplicas", (UnaryOperator<AutoscalingSettings.Builder>) b -> b.minReplicas(-1)),
        Arguments.of("minReplicas", (UnaryOperator<AutoscalingSettings.Builder>) b -> b.minReplicas(11)));
  }

  @ParameterizedTest
  @MethodSource("badKnobs")
  void aBadKnobIsRefusedNamingTheField(String field, UnaryOperator<AutoscalingSettings.Builder> change) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> with(change));
    assertTrue(e.getMessage().startsWith(field + ": must be between "), e.getMessage());
  }
}
