package dev.capstan.serve.metrics;

import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/** A Prometheus histogram with fixed upper bounds, safe to observe from many threads. */
public final class Histogram {
    private final double[] bounds;
    private final LongAdder[] counts;
    private final DoubleAdder sum = new DoubleAdder();
    private final LongAdder count = new LongAdder();

    public Histogram(double[] bounds) {
        this.bounds = bounds;
        this.counts = new LongAdder[bounds.length];
        for (int i = 0; i < bounds.length; i++) {
            counts[i] = new LongAdder();
        }
    }

    public void observe(double value) {
        for (int i = 0; i < bounds.length; i++) {
            if (value <= bounds[i]) {
                counts[i].increment();
                break;
            }
        }
        sum.add(value);
        count.increment();
    }

    public void write(StringBuilder out, String name, String labels) {
        long cumulative = 0;
        String prefix = labels.isEmpty() ? "{" : "{" + labels + ",";
        for (int i = 0; i < bounds.length; i++) {
            cumulative += counts[i].sum();
            out.append(name).append("_bucket").append(prefix).append("le=\"").append(PrometheusText.number(bounds[i]))
                    .append("\"} ").append(cumulative).append('\n');
        }
        long total = count.sum();
        out.append(name).append("_bucket").append(prefix).append("le=\"+Inf\"} ").append(total).append('\n');
        String braces = labels.isEmpty() ? "" : "{" + labels + "}";
        out.append(name).append("_sum").append(braces).append(' ').append(PrometheusText.number(sum.sum())).append('\n');
        out.append(name).append("_count").append(braces).append(' ').append(total).append('\n');
    }
}
