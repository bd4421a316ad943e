package dev.capstan.serve.rest;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * How long a REST connection may wait on its client. Between requests it may sit idle for the idle
 * timeout, then it is closed. Once a request's first bytes arrive, its headers must be complete
 * within the header timeout (however slowly they trickle in), else 408. While its body is read,
 * the client may pause for up to the idle timeout, and after a grace of the idle timeout the
 * body must keep arriving at {@value #MIN_BODY_BYTES_PER_SECOND} bytes/s on average, else 408: a
 * body sent a byte at a time cannot hold the connection for ever. While the server answers (any
 * request read and not yet answered, pipelined ones included), nothing is timed here (the
 * batcher's request timeout is). Sits right after the HTTP codec: it sees each read batch end,
 * even one that held only part of the headers, and each answer leave.
 */
public final class ConnectionTimeouts extends ChannelDuplexHandler {
    static final long MIN_BODY_BYTES_PER_SECOND = 1024;

    private enum State { WAITING, READING_HEADERS, READING_BODY, ANSWERING }

    private final long idleNanos;
    private final long headerNanos;
    private volatile State state = State.WAITING;
    /** Start of the current wait: the last activity, or for headers the first byte of the request. */
    private long since;
    /** Requests read in full and not yet answered: more than one when the client pipelines. */
    private volatile int unanswered;
    private long bodyStart;
    private long bodyBytes;
    private ScheduledFuture<?> timer;
    private long timerDeadline;

    public ConnectionTimeouts(Duration idle, Duration header) {
        this.idleNanos = idle.toNanos();
        this.headerNanos = header.toNanos();
    }

    /** Whether the connection holds no request the server has begun to answer, so it may be shed. */
    public boolean sheddable() {
        State now = state;
        return unanswered == 0 && (now == State.WAITING || now == State.READING_HEADERS);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        enter(ctx, State.WAITING);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest) {
            bodyStart = System.nanoTime();
            bodyBytes = 0;
            readOn(ctx, msg);
        } else if (state == State.READING_BODY) {
            readOn(ctx, msg);
        }
        ctx.fireChannelRead(msg);
    }

    private void readOn(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpContent content) {
            bodyBytes += content.content().readableBytes();
        }
        if (msg instanceof LastHttpContent) {
            unanswered++;
            enter(ctx, State.ANSWERING);
        } else {
            enter(ctx, State.READING_BODY);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (state == State.WAITING) {
            enter(ctx, State.READING_HEADERS);
        } else if (state == State.READING_BODY) {
            since = System.nanoTime();
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof LastHttpContent && !interim(msg)) {
            if (unanswered == 0) {
                enter(ctx, State.WAITING); // answered before it was read in full (413, 400): that request is over
            } else if (--unanswered == 0 && state == State.ANSWERING) {
                enter(ctx, State.WAITING);
            }
        }
        ctx.write(msg, promise);
    }

    /** A 1xx answer (100 Continue) ends no request: the body still comes. */
    private static boolean interim(Object msg) {
        return msg instanceof HttpResponse response && response.status().codeClass() == HttpStatusClass.INFORMATIONAL;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        ctx.fireChannelInactive();
    }

    private void enter(ChannelHandlerContext ctx, State next) {
        state = next;
        since = System.nanoTime();
        arm(ctx);
    }

    private void arm(ChannelHandlerContext ctx) {
        if (state == State.ANSWERING || !ctx.channel().isActive()) {
            return;
        }
        long deadline = deadline();
        if (timer != null) {
            if (timerDeadline - deadline <= 0) {
                return; // fires first, and re-arms for the rest
            }
            timer.cancel(false);
        }
        timerDeadline = deadline;
        timer = ctx.executor().schedule(() -> expire(ctx), Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    private long deadline() {
        return switch (state) {
            case READING_HEADERS -> since + headerNanos;
            case READING_BODY -> Math.min(since + idleNanos, slowBodyDeadline());
            default -> since + idleNanos;
        };
    }

    /** When the body, at the bytes received so far, falls below the minimum average rate. */
    private long slowBodyDeadline() {
        return bodyStart + idleNanos + bodyBytes * TimeUnit.SECONDS.toNanos(1) / MIN_BODY_BYTES_PER_SECOND;
    }

    private void expire(ChannelHandlerContext ctx) {
        timer = null;
        if (state == State.ANSWERING || !ctx.channel().isActive()) {
            return;
        }
        if (System.nanoTime() - deadline() < 0) {
            arm(ctx);
            return;
        }
        State expired = state;
        state = State.ANSWERING; // nothing more to time: the connection is closing
        switch (expired) {
            case WAITING -> ctx.close();
            case READING_HEADERS -> FinalAnswer.send(ctx, HttpResponseStatus.REQUEST_TIMEOUT,
                    "request headers not complete within " + millis(headerNanos) + " ms");
            case READING_BODY -> FinalAnswer.send(ctx, HttpResponseStatus.REQUEST_TIMEOUT, System.nanoTime() - slowBodyDeadline() >= 0
                    ? "request body arrived slower than " + MIN_BODY_BYTES_PER_SECOND + " bytes/s (" + bodyBytes + " bytes in "
                            + millis(System.nanoTime() - bodyStart) + " ms)"
                    : "request body stalled: nothing received for " + millis(idleNanos) + " ms");
            case ANSWERING -> { }
        }
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
