package dev.capstan.gateway;

import io.grpc.Status;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import java.util.concurrent.RejectedExecutionException;

/**
 * One unary gRPC call on its way through the gateway: waits for a replica slot like a REST request,
 * then goes out as the client's own headers (grpc-timeout set to what is left of the bound) and
 * message bytes on the replica's HTTP/2 connection for this event loop ({@link GrpcUpstream}); the
 * replica's headers, message and trailers come back frame by frame. Bounded by the client's
 * deadline and the revision's answer timeout, whichever ends first (then DEADLINE_EXCEEDED). A call
 * the replica never saw (connection refused, stream refused) is tried on another replica. Runs on
 * its client connection's event loop; a grant from elsewhere moves there.
 */
final class GrpcCall extends RoutedRequest {
    private final GrpcFrontend client;
    private final int stream;
    private final Http2Headers headers;
    private final long deadline;
    private ByteBuf message;
    private Replica replica;
    private GrpcUpstream upstream;
    /** The call's stream on the upstream connection; 0 until it is written. */
    int upstreamStream;
    private boolean answering;
    private boolean clientGone;
    private boolean done;

    GrpcCall(GrpcFrontend client, int stream, Http2Headers headers, ByteBuf message, long deadline, RevisionState revision,
             EventLoop loop, long activatorTimeoutNanos) {
        super(revision, loop, activatorTimeoutNanos);
        this.client = client;
        this.stream = stream;
        this.headers = headers;
        this.message = message;
        this.deadline = deadline;
    }

    @Override
    void granted(Replica granted) {
        if (loop.inEventLoop()) {
            send(granted);
            return;
        }
        try {
            loop.execute(() -> send(granted));
        } catch (RejectedExecutionException e) {
            revision.release(granted); // the gateway is stopping
        }
    }

    @Override
    void refuse(String why) {
        onLoop(() -> fail(Status.Code.UNAVAILABLE, why));
    }

    /** The client reset the stream or closed its connection. On the loop. */
    void clientGone() {
        clientGone = true;
        if (leaveQueue()) {
            end(Status.Code.CANCELLED);
        } else if (upstream != null && !done) {
            upstream.cancel(this);
            end(Status.Code.CANCELLED);
        }
    }

    private void send(Replica to) {
        if (clientGone || done) {
            revision.release(to);
            end(Status.Code.CANCELLED);
            return;
        }
        replica = to;
        long left = deadline == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - System.nanoTime();
        long bound = Math.min(left, revision.answerTimeoutNanos());
        if (bound <= 0) {
            fail(Status.Code.DEADLINE_EXCEEDED, "the call's deadline passed before a replica of " + revision.key + " was free");
            return;
        }
        headers.set(GrpcHeaders.GRPC_TIMEOUT, GrpcHeaders.timeoutValue(bound));
        headers.authority(to.grpcAuthority);
        try {
            upstream = to.grpcUpstream(loop);
        } catch (RuntimeException e) {
            notReached(e.getMessage());
            return;
        }
        startAnswerTimer(this::answerTimedOut, bound);
        upstream.send(this, headers, message.retainedDuplicate());
    }

    // what the replica's connection reports, on the loop

    /** The replica never saw the call: another replica of the revision, if one has room. */
    void notReached(String why) {
        if (done) {
            return;
        }
        cancelAnswerTimer();
        upstream = null;
        Replica failed = replica;
        replica = null;
        Replica other = another(failed);
        if (other != null) {
            send(other);
        } else {
            fail(Status.Code.UNAVAILABLE, "cannot reach a replica of " + revision.key + ": " + failed + ": " + why);
        }
    }

    void replicaHeaders(Http2Headers answer, boolean endStream) {
        if (done) {
            return;
        }
        answering = true;
        if (client.open(stream)) {
            client.answerHeaders(stream, answer, endStream);
        }
        if (endStream) {
            Status.Code code = GrpcHeaders.status(answer);
            end(code == null ? Status.Code.UNKNOWN : code);
        }
    }

    void replicaData(ByteBuf data, boolean endStream) {
        if (done || !client.open(stream)) {
            data.release();
            return;
        }
        client.answerData(stream, data, endStream);
        if (endStream) {
            end(Status.Code.UNKNOWN); // an answer without trailers: the client sees the call end without a status
        }
    }

    /** The replica reset the call or dropped the connection after the call reached it. */
    void replicaFailed(String why) {
        if (done) {
            return;
        }
        if (!answering) {
            fail(Status.Code.UNAVAILABLE, "replica " + replica + " of " + revision.key + " " + why);
        } else {
            if (client.open(stream)) {
                client.cancel(stream); // cut off part way: not an answer that looks whole
            }
            end(Status.Code.UNAVAILABLE);
        }
    }

    private void answerTimedOut() {
        if (done) {
            return;
        }
        if (upstream != null) {
            upstream.cancel(this);
        }
        String why = "replica " + replica + " of " + revision.key + " did not answer within the call's deadline or the revision's timeout";
        if (!answering) {
            fail(Status.Code.DEADLINE_EXCEEDED, why);
        } else {
            if (client.open(stream)) {
                client.answerHeaders(stream, GrpcHeaders.trailers(Status.Code.DEADLINE_EXCEEDED, why), true);
            }
            end(Status.Code.DEADLINE_EXCEEDED);
        }
    }

    private void fail(Status.Code code, String why) {
        if (done) {
            return;
        }
        if (!clientGone && client.open(stream)) {
            client.answerHeaders(stream, answering ? GrpcHeaders.trailers(code, why) : GrpcHeaders.trailersOnly(code, why), true);
        }
        end(code);
    }

    /** Counts the call once, gives its replica slot back and frees its message. */
    private void end(Status.Code code) {
        if (done) {
            return;
        }
        done = true;
        cancelAnswerTimer();
        if (replica != null) {
            revision.release(replica);
            replica = null;
        }
        if (message != null) {
            message.release();
            message = null;
        }
        finish(GrpcStatusCodes.httpCode(code));
    }

    @Override
    public String toString() {
        return "gRPC call " + AsciiString.of(headers.path()) + " on stream " + stream;
    }
}
