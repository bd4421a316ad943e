package dev.capstan.gateway;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;

/**
 * One REST request on its way through the gateway: it waits for a replica slot (at once when one
 * is free; in the activator otherwise), takes a pooled connection to that replica on its own event
 * loop, writes the request (its body as the ByteBufs it arrived in) and streams the answer back as
 * it comes. A request that never reached a replica (connection refused, or a pooled connection
 * found closed when writing) is tried on another one; anything else the replica answers passes
 * through unchanged, bounded in time by the revision's answer timeout (then 504). An answer the
 * replica delimits by closing its connection reaches the client chunked (an HTTP/1.0 client gets
 * that answer, and a chunked one, unchunked and closed after),
 * interim (1xx) answers are not passed on, and an answer that turns out malformed part way is cut
 * off, never passed on as whole.
 */
final class RestExchange extends RoutedRequest {
    /** Counted when the client went away before its answer (nginx's convention). */
    static final int CLIENT_GONE = 499;

    private final RestFrontend frontend;
    private final ChannelHandlerContext ctx;
    private final FullHttpRequest request;
    private final boolean http10;
    private final boolean head;
    private boolean keepAlive;
    private Replica replica;
    private UpstreamPool pool;
    private Channel upstream;
    private boolean responseStarted;
    private boolean inInterim;
    private boolean upstreamKeepAlive;
    private int code;
    private boolean clientGone;

    RestExchange(RestFrontend frontend, ChannelHandlerContext ctx, FullHttpRequest request, String forwardUri, RevisionState revision,
                 boolean keepAlive, long timeoutNanos) {
        super(revision, ctx.channel().eventLoop(), timeoutNanos);
        this.frontend = frontend;
        this.ctx = ctx;
        this.request = request;
        this.keepAlive = keepAlive;
        this.http10 = request.protocolVersion().equals(HttpVersion.HTTP_1_0);
        this.head = request.method().equals(HttpMethod.HEAD);
        request.setUri(forwardUri);
        request.setProtocolVersion(HttpVersion.HTTP_1_1);
        HttpHeaders headers = request.headers();
        headers.remove(HttpHeaderNames.CONNECTION);
        headers.remove(HttpHeaderNames.KEEP_ALIVE);
        headers.remove(HttpHeaderNames.PROXY_CONNECTION);
        headers.remove(HttpHeaderNames.TE);
        headers.remove(HttpHeaderNames.TRAILER);
        headers.remove(HttpHeaderNames.UPGRADE);
        headers.remove(HttpHeaderNames.TRANSFER_ENCODING);
        headers.remove(HttpHeaderNames.EXPECT);
        headers.setInt(HttpHeaderNames.CONTENT_LENGTH, request.content().readableBytes());
    }

    @Override
    void granted(Replica granted) {
        onLoop(() -> {
            replica = granted;
            send();
        });
    }

    @Override
    void refuse(String why) {
        onLoop(() -> fail(503, why));
    }

    private void send() {
        if (clientGone) {
            revision.release(replica);
            finish(CLIENT_GONE);
            return;
        }
        pool = replica.pool(loop);
        pool.acquire(this::connected, this::notReached);
    }

    private void connected(Channel channel) {
        if (clientGone) {
            pool.release(channel, true);
            revision.release(replica);
            finish(CLIENT_GONE);
            return;
        }
        upstream = channel;
        channel.pipeline().get(UpstreamHandler.class).exchange = this;
        channel.config().setAutoRead(ctx.channel().isWritable());
        request.headers().set(HttpHeaderNames.HOST, replica.hostHeader);
        request.retain(); // the write releases one reference; ours stays for a retry
        startAnswerTimer(() -> answerTimedOut(channel), revision.answerTimeoutNanos());
        channel.writeAndFlush(request).addListener(written -> {
            if (!written.isSuccess() && upstream == channel && !responseStarted) {
                channel.pipeline().get(UpstreamHandler.class).exchange = null;
                upstream = null;
                channel.close();
                notReached(written.cause());
            }
        });
    }

    /** Connecting or writing failed: the replica never saw the request, so another may take it. */
    private void notReached(Throwable cause) {
        if (clientGone) {
            revision.release(replica);
            finish(CLIENT_GONE);
            return;
        }
        Replica failed = replica;
        Replica other = another(failed);
        if (other != null) {
            replica = other;
            send();
        } else {
            fail(502, "cannot reach a replica of " + revision.key + ": " + failed + ": " + cause);
        }
    }

    void fromUpstream(HttpObject msg) {
        if (!msg.decoderResult().isSuccess()) {
            ReferenceCountUtil.release(msg);
            upstreamBroken(502, "replica " + replica + " sent a malformed answer: " + msg.decoderResult().cause());
            return;
        }
        if (interim(msg)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpResponse response) {
            responseStarted = true;
            code = response.status().code();
            upstreamKeepAlive = HttpUtil.isKeepAlive(response);
            HttpHeaders headers = response.headers();
            headers.remove(HttpHeaderNames.CONNECTION);
            headers.remove(HttpHeaderNames.KEEP_ALIVE);
            if (http10 && (delimitedByClose(response) || HttpUtil.isTransferEncodingChunked(response))) {
                HttpUtil.setTransferEncodingChunked(response, false); // HTTP/1.0 has no chunks: the close ends the answer
                keepAlive = false;
            } else if (delimitedByClose(response)) {
                HttpUtil.setTransferEncodingChunked(response, true);
            }
            headers.set(HttpHeaderNames.CONNECTION, keepAlive ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
        }
        ctx.write(msg, ctx.voidPromise());
        if (msg instanceof LastHttpContent) {
            complete();
        }
    }

    /**
     * Whether {@code msg} is, or ends, an interim (1xx) answer, which is not passed on: the gateway
     * answered the client's Expect itself, and the final answer is what the client waits for.
     */
    private boolean interim(HttpObject msg) {
        if (msg instanceof HttpResponse response) {
            boolean informational = response.status().codeClass() == HttpStatusClass.INFORMATIONAL
                    && response.status().code() != HttpResponseStatus.SWITCHING_PROTOCOLS.code();
            inInterim = informational && !(msg instanceof LastHttpContent);
            return informational;
        }
        if (inInterim) {
            inInterim = !(msg instanceof LastHttpContent);
            return true;
        }
        return false;
    }

    /** An answer with a body and neither a length nor chunks: it ends when the replica closes. */
    private boolean delimitedByClose(HttpResponse response) {
        int status = response.status().code();
        boolean bodiless = head || status < 200 || status == 204 || status == 304;
        return !bodiless && !HttpUtil.isContentLengthSet(response) && !HttpUtil.isTransferEncodingChunked(response);
    }

    void flushDownstream() {
        ctx.flush();
    }

    /** The client can take more (or no more) of the answer: read from the replica accordingly. */
    void downstreamWritable(boolean writable) {
        if (upstream != null) {
            upstream.config().setAutoRead(writable);
        }
    }

    private void complete() {
        cancelAnswerTimer();
        Channel channel = upstream;
        upstream = null;
        channel.pipeline().get(UpstreamHandler.class).exchange = null;
        channel.config().setAutoRead(true);
        pool.release(channel, upstreamKeepAlive);
        revision.release(replica);
        finish(code);
        frontend.finished(keepAlive, true);
    }

    /** The replica's connection closed under the request (called by its handler). */
    void upstreamClosed() {
        upstream = null;
        upstreamBroken(502, "replica " + replica + " closed the connection before answering");
    }

    /** The replica took longer than the revision's answer timeout over the request on {@code channel}. */
    private void answerTimedOut(Channel channel) {
        if (upstream == channel) {
            upstreamBroken(504, "replica " + replica + " did not answer within "
                    + TimeUnit.NANOSECONDS.toMillis(revision.answerTimeoutNanos()) + " ms");
        }
    }

    private void upstreamBroken(int status, String why) {
        cancelAnswerTimer();
        Channel channel = upstream;
        if (channel != null) {
            channel.pipeline().get(UpstreamHandler.class).exchange = null;
            upstream = null;
            channel.close();
        }
        revision.release(replica);
        if (responseStarted) {
            finish(status); // counted as what it is, not as the status its first part carried
            ctx.close(); // part of an answer went out: the client must not take it for a whole one
        } else {
            fail(status, why);
        }
    }

    /** The client's connection closed; call on its loop. */
    void clientGone() {
        clientGone = true;
        if (leaveQueue()) {
            finish(CLIENT_GONE);
        } else if (upstream != null) {
            cancelAnswerTimer();
            Channel channel = upstream;
            upstream = null;
            channel.pipeline().get(UpstreamHandler.class).exchange = null;
            channel.close(); // its answer would reach no one
            revision.release(replica);
            finish(CLIENT_GONE);
        }
    }

    private void fail(int status, String message) {
        finish(status);
        if (!clientGone) {
            frontend.respond(Answers.error(ctx, status, message), keepAlive);
        }
    }

    @Override
    void ended() {
        request.release();
    }
}
