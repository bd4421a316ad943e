package dev.capstan.local.process;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricLinesTest {
  @Test
  void readsEveryNameValuePairOfALine() {
    assertEquals(Map.of("step", "12", "loss", "0.53", "accuracy", "9.1e-01"),
        MetricLines.parse("step=12 loss=0.53 accuracy=9.1e-01"));
  }

  @Test
  void acceptsSpacesAroundTheEqualsSignAndSignedValues() {
    assertEquals(Map.of("val-loss", "-1.5", "lr", "+.001"), MetricLines.parse("val-loss = -1.5, lr=+.001"));
  }

  @Test
  void ignoresTextThatOnlyStartsLikeANumber() {
    assertEquals(Map.of(), MetricLines.parse("MASTER_ADDR=127.0.0.1 mode=fast x= "));
  }
}
