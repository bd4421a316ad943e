package dev.capstan.gateway;

import dev.capstan.core.serving.GatewayFeedback;
import dev.capstan.core.serving.RevisionKey;
import dev.capstan.core.serving.RevisionLoad;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/** Records what the gateway tells the autoscaler. */
final class TestingFeedback implements GatewayFeedback {
    final ConcurrentLinkedQueue<RevisionLoad> loads = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<RevisionKey> scaleUps = new ConcurrentLinkedQueue<>();

    @Override
    public void reportLoad(List<RevisionLoad> reported) {
        loads.addAll(reported);
    }

    @Override
    public void scaleFromZero(RevisionKey revision) {
        scaleUps.add(revision);
    }
}
