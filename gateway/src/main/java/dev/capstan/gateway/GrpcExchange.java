package dev.capstan.gateway;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Deadline;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.Status;
import io.netty.channel.EventLoop;
import java.net.ConnectException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One unary gRPC call on its way through the gateway: waits for a replica slot like a REST request,
 * then replays the call's metadata and message bytes on the replica's HTTP/2 channel and relays its
 * headers, message and status back. A call the replica never saw (connection refused) is tried on
 * another replica.
 */
final class GrpcExchange implements Waiter {
    private static final int WAITING = 0;
    private static final int GRANTED = 1;
    private static final int GONE = 2;

    private final ServerCall<byte[], byte[]> call;
    private final Metadata headers;
    private final MethodDescriptor<byte[], byte[]> method;
    private final byte[] message;
    private final Deadline deadline;
    private final RevisionState revision;
    private final EventLoop timerLoop;
    private final long timeoutNanos;
    private final long start = System.nanoTime();
    private final AtomicInteger state = new AtomicInteger(WAITING);
    private final AtomicInteger finished = new AtomicInteger();
    private volatile ScheduledFuture<?> timer;
    private volatile ClientCall<byte[], byte[]> upstream;
    private volatile boolean clientGone;
    private int attempts;

    GrpcExchange(ServerCall<byte[], byte[]> call, Metadata headers, MethodDescriptor<byte[], byte[]> method, byte[] message,
                 Deadline deadline, RevisionState revision, EventLoop timerLoop, long timeoutNanos) {
        this.call = call;
        this.headers = headers;
        this.method = method;
        this.message = message;
        this.deadline = deadline;
        this.revision = revision;
        this.timerLoop = timerLoop;
        this.timeoutNanos = timeoutNanos;
    }

    void start() {
        revision.load.started(start);
        revision.acquire(this);
        if (state.get() == WAITING) {
            timer = timerLoop.schedule(this::expire, timeoutNanos, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public boolean grant(Replica replica) {
        if (!state.compareAndSet(WAITING, GRANTED)) {
            return false;
        }
        ScheduledFuture<?> pending = timer;
        if (pending != null) {
            pending.cancel(false);
        }
        send(replica);
        return true;
    }

    @Override
    public boolean gone() {
        return state.get() == GONE;
    }

    @Override
    public void rejectFull(int buffer) {
        if (state.compareAndSet(WAITING, GONE)) {
            fail(Status.UNAVAILABLE.withDescription("too many requests are waiting for a replica of " + revision.key + " (" + buffer
                    + "); retry later"));
        }
    }

    @Override
    public void revisionRemoved() {
        if (state.compareAndSet(WAITING, GONE)) {
            fail(Status.UNAVAILABLE.withDescription("revision " + revision.key + " stopped taking traffic while the request waited; retry"));
        }
    }

    private void expire() {
        if (state.compareAndSet(WAITING, GONE)) {
            revision.remove(this);
            fail(Status.UNAVAILABLE.withDescription("no replica of " + revision.key + " became ready within "
                    + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms; retry later"));
        }
    }

    void clientGone() {
        clientGone = true;
        if (state.compareAndSet(WAITING, GONE)) {
            revision.remove(this);
            ScheduledFuture<?> pending = timer;
            if (pending != null) {
                pending.cancel(false);
            }
            finish(Status.Code.CANCELLED);
        } else {
            ClientCall<byte[], byte[]> current = upstream;
            if (current != null) {
                current.cancel("the client cancelled the call", null);
            }
        }
    }

    private void send(Replica replica) {
        if (clientGone) {
            revision.release(replica);
            finish(Status.Code.CANCELLED);
            return;
        }
        ClientCall<byte[], byte[]> client;
        try {
            CallOptions options = deadline == null ? CallOptions.DEFAULT : CallOptions.DEFAULT.withDeadline(deadline);
            client = replica.grpc().newCall(method, options);
        } catch (RuntimeException e) {
            notReached(replica, Status.UNAVAILABLE.withDescription(e.getMessage()));
            return;
        }
        upstream = client;
        client.start(new ClientCall.Listener<>() {
            private boolean answered;

            @Override
            public void onHeaders(Metadata replicaHeaders) {
                answered = true;
                call.sendHeaders(replicaHeaders);
            }

            @Override
            public void onMessage(byte[] response) {
                call.sendMessage(response);
            }

            @Override
            public void onClose(Status status, Metadata trailers) {
                if (!answered && neverReached(status, replica) && !clientGone) {
                    notReached(replica, status);
                    return;
                }
                revision.release(replica);
                close(status, trailers);
            }
        }, headers);
        client.request(2);
        client.sendMessage(message);
        client.halfClose();
    }

    /** UNAVAILABLE without a word from the replica, because connecting failed or the replica was dropped. */
    private static boolean neverReached(Status status, Replica replica) {
        if (status.getCode() != Status.Code.UNAVAILABLE) {
            return false;
        }
        for (Throwable cause = status.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException) {
                return true;
            }
        }
        return replica.retired();
    }

    private void notReached(Replica failed, Status status) {
        attempts++;
        Replica other = attempts < RestExchange.MAX_ATTEMPTS ? revision.reserve(failed) : null;
        revision.release(failed);
        if (other != null) {
            send(other);
        } else {
            fail(Status.UNAVAILABLE.withDescription("cannot reach a replica of " + revision.key + ": " + failed + ": "
                    + status.getDescription()).withCause(status.getCause()));
        }
    }

    private void fail(Status status) {
        close(status, new Metadata());
    }

    private void close(Status status, Metadata trailers) {
        finish(status.getCode());
        try {
            call.close(status, trailers);
        } catch (IllegalStateException e) {
            // already closed or cancelled: nothing to tell
        }
    }

    private void finish(Status.Code code) {
        if (finished.getAndIncrement() == 0) {
            long now = System.nanoTime();
            revision.load.finished(now);
            revision.metrics.answered(httpCode(code), now - start);
        }
    }

    /** The HTTP status the gRPC code stands for (grpc-gateway's mapping), so both protocols count alike. */
    static int httpCode(Status.Code code) {
        return switch (code) {
            case OK -> 200;
            case CANCELLED -> RestExchange.CLIENT_GONE;
            case INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE -> 400;
            case UNAUTHENTICATED -> 401;
            case PERMISSION_DENIED -> 403;
            case NOT_FOUND -> 404;
            case ALREADY_EXISTS, ABORTED -> 409;
            case RESOURCE_EXHAUSTED -> 429;
            case UNIMPLEMENTED -> 501;
            case UNAVAILABLE -> 503;
            case DEADLINE_EXCEEDED -> 504;
            default -> 500;
        };
    }
}
