package dev.capstan.serve.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.capstan.serve.Fixtures;
import dev.capstan.serve.engine.Engine;
import dev.capstan.serve.engine.EngineOptions;
import dev.capstan.serve.engine.ModelSignature;
import dev.capstan.serve.engine.TensorSpec;
import dev.capstan.serve.engine.onnx.OnnxEngine;
import dev.capstan.serve.tensor.DataType;
import dev.capstan.serve.tensor.Tensor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The batcher from a plain Java call: batched results equal unbatched ones, models never mix. */
class BatcherTest {
    @Test
    void batchedResultsEqualUnbatchedOnes() throws Exception {
        try (Engine engine = OnnxEngine.open(Fixtures.dir("mlp").resolve("model.onnx"), EngineOptions.defaults())) {
            List<Tensor> requests = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                int rows = i == 3 ? 3 : 1;
                float[] values = new float[rows * 4];
                for (int j = 0; j < values.length; j++) {
                    values[j] = (float) Math.sin(i * 7 + j);
                }
                requests.add(Tensor.ofFloats("input", new long[] {rows, 4}, values));
            }
            List<Long> batchRows = new CopyOnWriteArrayList<>();
            BatchObserver observer = new BatchObserver() {
                @Override
                public void batch(int count, long rows) {
                    batchRows.add(rows);
                }
            };
            // a first request holds the only worker in the engine while the others queue up; once
            // released, the worker finds exactly maxBatchSize rows waiting and runs them as one batch
            CountDownLatch gate = new CountDownLatch(1);
            CountDownLatch entered = new CountDownLatch(1);
            Engine gated = new TestingGatedEngine(engine, entered, gate);
            BatchPolicy policy = BatchPolicy.unbatched().withMaxBatchSize(8, Duration.ofSeconds(20)).withWorkers(1);
            try (Batcher batcher = new Batcher("mlp", gated, policy, observer)) {
                CompletableFuture<List<Tensor>> blocker = batcher.submit(List.of(requests.get(0)), Set.of());
                entered.await();
                List<CompletableFuture<List<Tensor>>> futures = new ArrayList<>();
                for (Tensor request : requests) {
                    futures.add(batcher.submit(List.of(request), Set.of()));
                }
                gate.countDown();
                blocker.get(30, TimeUnit.SECONDS);
                for (int i = 0; i < requests.size(); i++) {
                    Tensor batched = futures.get(i).get(30, TimeUnit.SECONDS).get(0);
                    Tensor alone = engine.infer(List.of(requests.get(i))).get(0);
                    assertArrayEquals(alone.shape(), batched.shape());
                    assertArrayEquals(alone.toFloats(), batched.toFloats(), 1e-6f);
                }
            }
            assertEquals(List.of(1L, 8L), batchRows);
        }
    }

    @Test
    void modelsNeverShareABatch() throws Exception {
        TestingRecordingEngine a = new TestingRecordingEngine();
        TestingRecordingEngine b = new TestingRecordingEngine();
        BatchPolicy policy = BatchPolicy.unbatched().withMaxBatchSize(4, Duration.ofSeconds(20)).withWorkers(1);
        try (Batcher batcherA = new Batcher("a", a, policy, BatchObserver.NONE);
             Batcher batcherB = new Batcher("b", b, policy, BatchObserver.NONE)) {
            List<CompletableFuture<List<Tensor>>> futures = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                futures.add(batcherA.submit(List.of(Tensor.ofFloats("x", new long[] {1, 2}, 1, 1)), Set.of()));
                futures.add(batcherB.submit(List.of(Tensor.ofFloats("x", new long[] {1, 2}, 2, 2)), Set.of()));
            }
            for (CompletableFuture<List<Tensor>> future : futures) {
                future.get(30, TimeUnit.SECONDS);
            }
        }
        assertTrue(a.seen.stream().allMatch(v -> v == 1f), "model a saw only its own rows");
        assertTrue(b.seen.stream().allMatch(v -> v == 2f), "model b saw only its own rows");
        assertEquals(8, a.seen.size());
        assertEquals(8, b.seen.size());
    }

    /** Runs a real engine, but its first call waits for a gate to open. */
    private static final class TestingGatedEngine implements Engine {
        private final Engine engine;
        private final CountDownLatch entered;
        private final CountDownLatch gate;

        TestingGatedEngine(Engine engine, CountDownLatch entered, CountDownLatch gate) {
            this.engine = engine;
            this.entered = entered;
            this.gate = gate;
        }

        @Override
        public String platform() {
            return engine.platform();
        }

        @Override
        public ModelSignature signature() {
            return engine.signature();
        }

        @Override
        public List<Tensor> infer(List<Tensor> inputs) throws dev.capstan.serve.engine.EngineException {
            entered.countDown();
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return engine.infer(inputs);
        }

        @Override
        public void close() {
        }
    }

    /** Echoes input {@code x} as output {@code y} and records every value it saw. */
    private static final class TestingRecordingEngine implements Engine {
        final List<Float> seen = new CopyOnWriteArrayList<>();

        @Override
        public String platform() {
            return "testing";
        }

        @Override
        public ModelSignature signature() {
            return new ModelSignature(List.of(new TensorSpec("x", DataType.FP32, new long[] {-1, 2})),
                    List.of(new TensorSpec("y", DataType.FP32, new long[] {-1, 2})));
        }

        @Override
        public List<Tensor> infer(List<Tensor> inputs) {
            for (float v : inputs.get(0).toFloats()) {
                seen.add(v);
            }
            return List.of(inputs.get(0).withName("y"));
        }

        @Override
        public void close() {
        }
    }
}
