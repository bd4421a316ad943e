package dev.capstan.kubernetes.serving;

import dev.capstan.core.serving.GatewayFeedback;
import dev.capstan.core.serving.RevisionKey;
import dev.capstan.core.serving.RevisionLoad;
import java.util.ArrayList;
import java.util.List;

/** Records what reaches the autoscaler's side of the gateway feedback. */
final class TestingFeedback implements GatewayFeedback {
  private final List<List<RevisionLoad>> reports = new ArrayList<>();
  private final List<RevisionKey> scaleFromZero = new ArrayList<>();

  @Override
  public synchronized void reportLoad(List<RevisionLoad> loads) {
    reports.add(List.copyOf(loads));
  }

  @Override
  public synchronized void scaleFromZero(RevisionKey revision) {
    scaleFromZero.add(revision);
  }

  synchronized List<List<RevisionLoad>> reports() {
    return List.copyOf(reports);
  }

  synchronized List<RevisionLoad> lastReport() {
    return reports.isEmpty() ? List.of() : reports.getLast();
  }

  synchronized List<RevisionKey> scaleFromZero() {
    return List.copyOf(scaleFromZero);
  }
}
