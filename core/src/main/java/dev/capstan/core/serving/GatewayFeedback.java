package dev.capstan.core.serving;

import java.util.List;

/**
 * Port: what the gateway tells the autoscaler. {@code reportLoad} comes once a second with a figure
 * for every revision that had traffic; {@code scaleFromZero} comes at once when a request arrives
 * for a revision with no ready replica, so the scale-up need not wait for the next tick.
 */
public interface GatewayFeedback {
  void reportLoad(List<RevisionLoad> loads);

  void scaleFromZero(RevisionKey revision);
}
