package dev.capstan.serve.batch;

import dev.capstan.serve.ServeException;
import dev.capstan.serve.ServeStatus;
import dev.capstan.serve.engine.Engine;
import dev.capstan.serve.engine.EngineException;
import dev.capstan.serve.engine.NativeStack;
import dev.capstan.serve.engine.TensorSpec;
import dev.capstan.serve.tensor.Tensor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One model's bounded request queue and the workers that feed its engine, grouping compatible
 * requests along the first dimension and splitting the results back. Never mixes models: each
 * model has its own batcher.
 *
 * <p>A request that finds the model idle (nothing queued, no engine call running) and whose engine
 * calls are short runs on the submitting thread: handing it to a worker and the answer back costs
 * two thread wake-ups, more than a small model's whole engine call. Callers must therefore allow
 * native engine calls on their thread ({@link NativeStack}).
 */
public final class Batcher implements AutoCloseable {
    private final String model;
    private final Engine engine;
    private final BatchPolicy policy;
    private final BatchObserver observer;
    private final boolean batchable;
    private final BlockingQueue<Pending> queue;
    private final List<Thread> workers = new ArrayList<>();
    private final Set<Pending> inEngine = ConcurrentHashMap.newKeySet();
    private final ScheduledFuture<?> sweeper;
    private final AtomicInteger pending = new AtomicInteger();
    /** Engine calls running now, on workers or on submitting threads. */
    private final AtomicInteger engineCalls = new AtomicInteger();
    /** A moving average of a lone request's engine call; unknown (MAX_VALUE) until one has run. */
    private volatile long soloNanos = Long.MAX_VALUE;
    private final Object idle = new Object();
    private volatile boolean accepting = true;
    private volatile boolean running = true;

    public Batcher(String model, Engine engine, BatchPolicy policy, BatchObserver observer) {
        this.model = model;
        this.engine = engine;
        this.policy = policy;
        this.observer = observer;
        this.batchable = policy.maxBatchSize() > 1 && hasBatchDimension(engine);
        this.queue = new ArrayBlockingQueue<>(policy.maxQueue());
        for (int i = 0; i < policy.workers(); i++) {
            Thread worker = NativeStack.threads().daemon(true).name("batcher-" + model + "-" + i).start(this::work);
            workers.add(worker);
        }
        long period = Math.clamp(policy.timeout().toNanos() / 10, TimeUnit.MILLISECONDS.toNanos(5), TimeUnit.MILLISECONDS.toNanos(100));
        this.sweeper = TIMEOUTS.scheduleAtFixedRate(this::expire, period, period, TimeUnit.NANOSECONDS);
    }

    /** One timer thread for every batcher's timeouts: cheaper than a scheduled task per request. */
    private static final ScheduledThreadPoolExecutor TIMEOUTS = timeouts();

    private static ScheduledThreadPoolExecutor timeouts() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1,
                r -> Thread.ofPlatform().daemon().name("batcher-timeouts").unstarted(r));
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }

    /** Fails requests, waiting or running, whose timeout has passed; an engine call still running is not interrupted. */
    private void expire() {
        long now = System.nanoTime();
        for (Pending request : queue) {
            request.expireIfDue(now);
        }
        for (Pending request : inEngine) {
            request.expireIfDue(now);
        }
    }

    /**
     * Engine calls shorter than this may run on the submitting thread (a Netty event loop, which
     * serves other connections meanwhile); longer ones always go through a worker.
     */
    static final long INLINE_NANOS = TimeUnit.MICROSECONDS.toNanos(200);

    private static boolean hasBatchDimension(Engine engine) {
        List<TensorSpec> all = new ArrayList<>(engine.signature().inputs());
        all.addAll(engine.signature().outputs());
        return all.stream().allMatch(s -> s.shape() == null || (s.shape().length > 0 && s.shape()[0] == -1));
    }

    /**
     * Queues a request; the future completes with the requested outputs (all when {@code outputs}
     * is empty). Throws OVERLOADED at once when the queue is full, UNAVAILABLE once closing.
     */
    public CompletableFuture<List<Tensor>> submit(List<Tensor> inputs, Set<String> outputs) {
        return submit(inputs, outputs, true);
    }

    /**
     * As {@link #submit(List, Set)}; with {@code mayRunInline} false the request always goes
     * through a worker. A caller whose thread serves many requests of one connection (a gRPC
     * HTTP/2 event loop) passes false, so one engine call never holds the other streams back.
     */
    public CompletableFuture<List<Tensor>> submit(List<Tensor> inputs, Set<String> outputs, boolean mayRunInline) {
        if (!accepting) {
            throw new ServeException(ServeStatus.UNAVAILABLE, "model '" + model + "' is shutting down");
        }
        long now = System.nanoTime();
        Pending request = new Pending(inputs, outputs, now, now + policy.timeout().toNanos());
        pending.incrementAndGet();
        if (mayRunInline && soloNanos <= INLINE_NANOS && queue.isEmpty() && engineCalls.compareAndSet(0, 1)) {
            try {
                run(List.of(request));
            } finally {
                engineCalls.decrementAndGet();
            }
            return request.result;
        }
        if (!queue.offer(request)) {
            finished();
            throw new ServeException(ServeStatus.OVERLOADED,
                    "model '" + model + "' has " + policy.maxQueue() + " requests waiting; retry later");
        }
        return request.result;
    }

    /** Requests accepted and not yet answered. */
    public int pending() {
        return pending.get();
    }

    public int queueDepth() {
        return queue.size();
    }

    public BatchPolicy policy() {
        return policy;
    }

    /** Stops taking requests; those already accepted still run. */
    public void stopAccepting() {
        accepting = false;
    }

    /** Waits until every accepted request has been answered; false if {@code limit} passed first. */
    public boolean awaitIdle(Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        synchronized (idle) {
            while (pending.get() > 0) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(idle, left);
            }
        }
        return true;
    }

    private void finished() {
        if (pending.decrementAndGet() == 0) {
            synchronized (idle) {
                idle.notifyAll();
            }
        }
    }

    private void work() {
        Pending carried = null;
        while (running || carried != null || !queue.isEmpty()) {
            try {
                Pending first = carried != null ? carried : queue.poll(50, TimeUnit.MILLISECONDS);
                carried = null;
                if (first == null) {
                    continue;
                }
                List<Pending> batch = new ArrayList<>();
                batch.add(first);
                engineCalls.incrementAndGet();
                try {
                    if (batchable && first.stackable()) {
                        carried = gather(first, batch);
                    }
                    run(batch);
                } finally {
                    engineCalls.decrementAndGet();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Adds compatible requests to {@code batch} until it is full or the first has waited
     * maxLatency; returns one that did not fit. It waits for company only while another batch of
     * this model is in the engine: with the engine idle, a request runs at once, so batching
     * never adds latency to a lone request.
     */
    private Pending gather(Pending first, List<Pending> batch) throws InterruptedException {
        long rows = first.rows();
        long deadline = first.enqueuedNanos + policy.maxLatency().toNanos();
        while (rows < policy.maxBatchSize()) {
            Pending next = queue.poll();
            if (next == null) {
                long wait = deadline - System.nanoTime();
                if (wait <= 0 || inEngine.isEmpty()) {
                    return null;
                }
                next = queue.poll(wait, TimeUnit.NANOSECONDS);
                if (next == null) {
                    return null;
                }
            }
            if (!next.stacksWith(first) || rows + next.rows() > policy.maxBatchSize()) {
                return next;
            }
            batch.add(next);
            rows += next.rows();
        }
        return null;
    }

    private void run(List<Pending> batch) {
        long now = System.nanoTime();
        List<Pending> live = new ArrayList<>(batch.size());
        for (Pending request : batch) {
            observer.queued(now - request.enqueuedNanos);
            if (request.result.isDone()) {
                finished();
            } else {
                live.add(request);
            }
        }
        if (live.isEmpty()) {
            return;
        }
        inEngine.addAll(live);
        long rows = live.size() == 1 ? 0 : live.stream().mapToLong(Pending::rows).sum();
        observer.batch(live.size(), live.size() == 1 ? live.get(0).rowsOrOne() : rows);
        try {
            if (live.size() == 1) {
                long start = System.nanoTime();
                List<Tensor> outputs = engine.infer(live.get(0).inputs);
                timedSolo(System.nanoTime() - start);
                live.get(0).complete(outputs);
            } else {
                split(live, engine.infer(BatchAssembly.stack(live.stream().map(p -> p.inputs).toList())), rows);
            }
        } catch (EngineException e) {
            ServeStatus status = e.isClientError() ? ServeStatus.BAD_REQUEST : ServeStatus.INTERNAL;
            live.forEach(p -> p.fail(new ServeException(status, e.getMessage(), e)));
        } catch (RuntimeException e) {
            live.forEach(p -> p.fail(new ServeException(ServeStatus.INTERNAL, "model '" + model + "' failed: " + e, e)));
        } finally {
            live.forEach(inEngine::remove);
            live.forEach(p -> finished());
        }
    }

    private void timedSolo(long nanos) {
        long average = soloNanos;
        soloNanos = average == Long.MAX_VALUE ? nanos : average - (average >> 3) + (nanos >> 3);
    }

    private void split(List<Pending> live, List<Tensor> outputs, long rows) {
        for (Tensor output : outputs) {
            if (output.rank() == 0 || output.dim(0) != rows) {
                throw new IllegalStateException("output '" + output.name() + "' of a batch of " + rows
                        + " rows has shape " + java.util.Arrays.toString(output.shape()) + "; set maxBatchSize: 1 for this model");
            }
        }
        long offset = 0;
        for (Pending request : live) {
            long count = request.rows();
            List<Tensor> mine = new ArrayList<>(outputs.size());
            for (Tensor output : outputs) {
                mine.add(output.rows(offset, count));
            }
            offset += count;
            request.complete(mine);
        }
    }

    @Override
    public void close() {
        sweeper.cancel(false);
        accepting = false;
        running = false;
        for (Thread worker : workers) {
            try {
                worker.join(policy.timeout().toMillis() + 1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static final class Pending {
        final List<Tensor> inputs;
        final Set<String> outputs;
        final long enqueuedNanos;
        final long deadlineNanos;
        final CompletableFuture<List<Tensor>> result = new CompletableFuture<>();

        Pending(List<Tensor> inputs, Set<String> outputs, long enqueuedNanos, long deadlineNanos) {
            this.inputs = inputs;
            this.outputs = outputs;
            this.enqueuedNanos = enqueuedNanos;
            this.deadlineNanos = deadlineNanos;
        }

        void expireIfDue(long now) {
            if (now - deadlineNanos > 0 && !result.isDone()) {
                result.completeExceptionally(new ServeException(ServeStatus.TIMEOUT, "the request timed out before the model answered"));
            }
        }

        boolean stackable() {
            return BatchAssembly.rowsOf(inputs) > 0;
        }

        long rows() {
            return BatchAssembly.rowsOf(inputs);
        }

        long rowsOrOne() {
            return Math.max(1, rows());
        }

        boolean stacksWith(Pending other) {
            return BatchAssembly.compatible(inputs, other.inputs);
        }

        void complete(List<Tensor> all) {
            result.complete(outputs.isEmpty() ? all : all.stream().filter(t -> outputs.contains(t.name())).toList());
        }

        void fail(Throwable error) {
            result.completeExceptionally(error);
        }
    }
}
