package dev.capstan.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.capstan.core.serving.RevisionKey;
import dev.capstan.core.serving.ServiceKey;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The traffic split: exact per 100 requests, interleaved, and carried on across updates. */
class ServiceStateTest {
    static final ServiceKey SERVICE = new ServiceKey("team", "iris");

    @Test
    void splitsEveryHundredRequestsExactlyAndInterleaved() {
        for (int canaryPercent : new int[] {1, 20, 33, 50, 99}) {
            RevisionState stable = revision("iris-predictor-00001");
            RevisionState canary = revision("iris-predictor-00002");
            ServiceState service = new ServiceState(SERVICE, List.of(stable, canary), new int[] {100 - canaryPercent, canaryPercent}, new AtomicLong());
            int canaryCount = 0;
            int longestStableRun = 0;
            int run = 0;
            for (int i = 0; i < 100; i++) {
                if (service.pick() == canary) {
                    canaryCount++;
                    run = 0;
                } else {
                    longestStableRun = Math.max(longestStableRun, ++run);
                }
            }
            assertEquals(canaryPercent, canaryCount);
            assertTrue(longestStableRun <= (100 - canaryPercent) / canaryPercent + 1, canaryPercent + " %: a run of " + longestStableRun);
        }
    }

    @Test
    void aRevisionWithNoPercentTakesNothing() {
        RevisionState only = revision("iris-predictor-00001");
        RevisionState idle = revision("iris-predictor-00002");
        ServiceState service = new ServiceState(SERVICE, List.of(idle, only), new int[] {0, 100}, new AtomicLong());
        for (int i = 0; i < 200; i++) {
            assertEquals(only, service.pick());
        }
    }

    private static RevisionState revision(String name) {
        return new RevisionState(new RevisionKey(SERVICE.namespace(), SERVICE.name(), name), 10, GatewayLimits.DEFAULT_REPLICA_TIMEOUT, key -> { });
    }
}
