package dev.capstan.bench.gateway;

import dev.capstan.core.serving.GatewayFeedback;
import dev.capstan.core.serving.RevisionKey;
import dev.capstan.core.serving.RevisionLoad;
import java.util.List;
import java.util.function.Consumer;

/** What the benchmark's stand-in control plane hears from the gateway: scale-from-zero calls; load reports are dropped. */
final class BenchFeedback implements GatewayFeedback {
    private volatile Consumer<RevisionKey> onScaleFromZero = key -> { };

    void onScaleFromZero(Consumer<RevisionKey> action) {
        onScaleFromZero = action;
    }

    @Override
    public void reportLoad(List<RevisionLoad> loads) {
    }

    @Override
    public void scaleFromZero(RevisionKey revision) {
        onScaleFromZero.accept(revision);
    }
}
