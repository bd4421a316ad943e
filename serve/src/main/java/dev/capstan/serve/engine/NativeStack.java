package dev.capstan.serve.engine;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Native engines (ONNX Runtime's environment set-up in particular) can need more stack than a JVM
 * thread's default 1 MiB and then crash the process with SIGSEGV, depending on what else the
 * thread's stack holds. Engine calls run on threads made here, with a generous stack.
 */
public final class NativeStack {
    /** Stack size for threads that call into native engines. */
    public static final long SIZE = 16L * 1024 * 1024;

    private NativeStack() {
    }

    /** A platform thread builder with a stack large enough for native engine calls. */
    public static Thread.Builder.OfPlatform threads() {
        return Thread.ofPlatform().stackSize(SIZE);
    }

    /** Opens a model on a large-stack thread; failures other than {@link EngineException} name the engine and file. */
    public static <T> T open(String engine, java.nio.file.Path file, Callable<T> task) throws EngineException {
        try {
            return call(task);
        } catch (EngineException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new EngineException(engine + " cannot load " + file.getFileName() + ": " + e, false, e);
        }
    }

    /** Runs {@code task} on a fresh thread with a large stack and returns its result. */
    public static <T> T call(Callable<T> task) throws Exception {
        FutureTask<T> future = new FutureTask<>(task);
        Thread thread = threads().name("native-engine-call").start(future);
        try {
            return future.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        } finally {
            thread.join();
        }
    }
}
