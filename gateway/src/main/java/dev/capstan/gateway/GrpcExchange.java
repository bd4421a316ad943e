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
import java.util.concurrent.TimeUnit;

/**
 * One unary gRPC call on its way through the gateway: waits for a replica slot like a REST request,
 * then replays the call's metadata and message bytes on the replica's HTTP/2 channel and relays its
 * headers, message and status back, within the client's deadline and the revision's answer
 * timeout, whichever ends first (then DEADLINE_EXCEEDED). A call the replica never saw (connection
 * refused) is tried on another replica.
 */
final class GrpcExchange extends RoutedRequest {
    private final ServerCall<byte[], byte[]> call;
    private final Metadata headers;
    private final MethodDescriptor<byte[], byte[]> method;
    private final byte[] message;
    private final Deadline deadline;
    private volatile ClientCall<byte[], byte[]> upstream;
    private volatile boolean clientGone;

    GrpcExchange(ServerCall<byte[], byte[]> call, Metadata headers, MethodDescriptor<byte[], byte[]> method, byte[] message,
                 Deadline deadline, RevisionState revision, EventLoop timerLoop, long timeoutNanos) {
        super(revision, timerLoop, timeoutNanos);
        this.call = call;
        this.headers = headers;
        this.method = method;
        this.message = message;
        this.deadline = deadline;
    }

    @Override
    void granted(Replica replica) {
        send(replica);
    }

    @Override
    void refuse(String why) {
        fail(Status.UNAVAILABLE.withDescription(why));
    }

    void clientGone() {
        clientGone = true;
        if (leaveQueue()) {
            finish(GrpcStatusCodes.httpCode(Status.Code.CANCELLED));
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
            finish(GrpcStatusCodes.httpCode(Status.Code.CANCELLED));
            return;
        }
        ClientCall<byte[], byte[]> client;
        try {
            Deadline bound = Deadline.after(revision.answerTimeoutNanos(), TimeUnit.NANOSECONDS);
            CallOptions options = CallOptions.DEFAULT.withDeadline(deadline == null ? bound : deadline.minimum(bound));
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
        Replica other = another(failed);
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
        finish(GrpcStatusCodes.httpCode(status.getCode()));
        try {
            call.close(status, trailers);
        } catch (IllegalStateException e) {
            // already closed or cancelled: nothing to tell
        }
    }
}
