package dev.capstan.gateway;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.collection.IntObjectMap;
import java.util.ArrayDeque;
import java.util.ArrayList;

/**
 * The gateway's HTTP/2 connection to one replica's gRPC port for one event loop: every call that
 * loop forwards to the replica is a stream on it, so a call never leaves the loop that read it.
 * Calls that arrive while it connects wait for it; ones it cannot carry (connect failed, closed
 * before they were written, refused or beyond the replica's GOAWAY) are reported as never reached,
 * which lets {@link GrpcCall} try another replica. It closes when idle for
 * {@link Upstreams#POOLED_IDLE}, and once retired, as soon as its last call ends.
 */
final class GrpcUpstream extends Http2Connection {
    private record Waiting(GrpcCall call, Http2Headers headers, ByteBuf message) {
    }

    private final Replica replica;
    private final EventLoop loop;
    private final IntObjectMap<GrpcCall> calls = new IntObjectHashMap<>();
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private boolean connected;
    private boolean usable = true;
    private boolean retired;

    GrpcUpstream(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder, Http2Settings settings, Replica replica, EventLoop loop) {
        super(decoder, encoder, settings);
        this.replica = replica;
        this.loop = loop;
        decoder.frameListener(new Frames());
    }

    /** Takes new calls: not closed, not told to go away, not retired. */
    boolean usable() {
        return usable;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        this.ctx = ctx;
        super.handlerAdded(ctx);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        super.channelActive(ctx);
        connection().local().flowController().incrementWindowSize(connection().connectionStream(),
                Http2Handlers.WINDOW - Http2CodecUtil.DEFAULT_WINDOW_SIZE);
        connected = true;
        for (Waiting next = waiting.poll(); next != null; next = waiting.poll()) {
            write(next.call(), next.headers(), next.message());
        }
        flush(ctx);
    }

    /** Connecting failed: no waiting call reached the replica. */
    void connectFailed(Throwable cause) {
        usable = false;
        for (Waiting next = waiting.poll(); next != null; next = waiting.poll()) {
            next.message().release();
            next.call().notReached(String.valueOf(cause.getMessage()));
        }
    }

    /** Sends a call, or holds it until connected; {@code message} is the connection's to release. On the loop. */
    void send(GrpcCall call, Http2Headers headers, ByteBuf message) {
        if (!usable) {
            message.release();
            call.notReached("its connection is closing");
        } else if (!connected) {
            waiting.add(new Waiting(call, headers, message));
        } else {
            write(call, headers, message);
            flush(ctx);
        }
    }

    private void write(GrpcCall call, Http2Headers headers, ByteBuf message) {
        int id = connection().local().incrementAndGetNextStreamId();
        if (id < 0) {
            usable = false; // stream ids used up: a new connection takes the next calls
            message.release();
            call.notReached("its connection ran out of stream ids");
            return;
        }
        call.upstreamStream = id;
        calls.put(id, call);
        ChannelPromise sent = ctx.newPromise();
        encoder().writeHeaders(ctx, id, headers, 0, false, sent);
        encoder().writeData(ctx, id, message, 0, true, ctx.newPromise());
        if (sent.isDone()) {
            headersFailed(id, sent);
        } else {
            sent.addListener((ChannelFuture done) -> headersFailed(id, done));
        }
    }

    /** Headers that could not be written (connection closed, stream refused locally): the replica saw nothing. */
    private void headersFailed(int id, ChannelFuture sent) {
        if (!sent.isSuccess()) {
            GrpcCall call = calls.remove(id);
            if (call != null) {
                call.notReached(String.valueOf(sent.cause().getMessage()));
                closeIfDone();
            }
        }
    }

    /** The call gave up (deadline, client gone): resets its stream. On the loop. */
    void cancel(GrpcCall call) {
        if (call.upstreamStream == 0) {
            waiting.removeIf(w -> {
                if (w.call() == call) {
                    w.message().release();
                    return true;
                }
                return false;
            });
            return;
        }
        if (calls.remove(call.upstreamStream) != null && ctx.channel().isActive()) {
            resetStream(ctx, call.upstreamStream, Http2Error.CANCEL.code(), ctx.newPromise());
            flush(ctx);
        }
        closeIfDone();
    }

    /** The replica is no longer routed: no new calls; closes once the ones under way end. Any thread. */
    void retire() {
        loop.execute(() -> {
            retired = true;
            usable = false;
            closeIfDone();
        });
    }

    private void closeIfDone() {
        if (!usable && calls.isEmpty() && waiting.isEmpty() && ctx != null && ctx.channel().isOpen()) {
            ctx.close();
        }
    }

    @Override
    boolean idle() {
        return calls.isEmpty() && waiting.isEmpty();
    }

    @Override
    void closingIdle() {
        usable = false;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        usable = false;
        for (Waiting next = waiting.poll(); next != null; next = waiting.poll()) {
            next.message().release();
            next.call().notReached("its connection closed");
        }
        for (GrpcCall call : new ArrayList<>(calls.values())) {
            calls.remove(call.upstreamStream);
            if (retired) {
                call.notReached("it is no longer routed");
            } else {
                call.replicaFailed("closed the connection before answering");
            }
        }
        super.channelInactive(ctx);
    }

    private final class Frames extends Http2Handlers.Frames {
        @Override
        public void onHeadersRead(ChannelHandlerContext ctx, int stream, Http2Headers headers, int padding, boolean endStream) {
            GrpcCall call = endStream ? calls.remove(stream) : calls.get(stream);
            if (call != null) {
                call.replicaHeaders(headers, endStream);
                if (endStream) {
                    closeIfDone();
                }
            }
        }

        @Override
        public int onDataRead(ChannelHandlerContext ctx, int stream, ByteBuf data, int padding, boolean endOfStream) {
            int processed = data.readableBytes() + padding;
            GrpcCall call = endOfStream ? calls.remove(stream) : calls.get(stream);
            if (call != null) {
                call.replicaData(data.retain(), endOfStream);
                if (endOfStream) {
                    closeIfDone();
                }
            }
            return processed;
        }

        @Override
        public void onRstStreamRead(ChannelHandlerContext ctx, int stream, long errorCode) {
            GrpcCall call = calls.remove(stream);
            if (call == null) {
                return;
            }
            if (errorCode == Http2Error.REFUSED_STREAM.code()) {
                call.notReached("it refused the stream");
            } else {
                call.replicaFailed("reset the call (HTTP/2 error " + errorCode + ")");
            }
            closeIfDone();
        }

        @Override
        public void onGoAwayRead(ChannelHandlerContext ctx, int lastStreamId, long errorCode, ByteBuf debugData) {
            usable = false;
            for (GrpcCall call : new ArrayList<>(calls.values())) {
                if (call.upstreamStream > lastStreamId) {
                    calls.remove(call.upstreamStream);
                    call.notReached("it is going away (HTTP/2 GOAWAY, error " + errorCode + ")");
                }
            }
            closeIfDone();
        }
    }

    @Override
    public String toString() {
        return "gRPC connection to " + replica;
    }
}
