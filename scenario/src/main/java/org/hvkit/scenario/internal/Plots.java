package org.hvkit.scenario.internal;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The two standard figures of a run, drawn with {@link Svg}. */
public final class Plots {
    static final int MAX_LINES = 16;
    static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
            "#bcbd22", "#17becf", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd"};
    private static final int W = 860, H = 480, L = 70, R = 220, T = 40, B = 50;

    private Plots() {}

    /** Wake latency CDF per series, log-scaled x axis (µs). Points are (ns, fraction). */
    public static String latencyCdf(String title, Map<String, double[][]> series) {
        Svg s = new Svg(W, H);
        frame(s, title, "wake latency (us, log scale)", "fraction of wake-ups <=");
        double lo = Double.POSITIVE_INFINITY, hi = 0;
        for (double[][] pts : series.values()) for (double[] p : pts) {
            double u = Math.max(p[0] / 1e3, 0.01);
            lo = Math.min(lo, u);
            hi = Math.max(hi, u);
        }
        if (series.isEmpty() || hi <= 0) {
            s.text(W / 2.0, H / 2.0, "no wake-ups measured", "middle", 14, null);
            return s.toString();
        }
        double dlo = Math.floor(Math.log10(lo)), dhi = Math.ceil(Math.log10(hi));
        if (dhi <= dlo) dhi = dlo + 1;
        double pw = W - L - R, ph = H - T - B;
        for (double d = dlo; d <= dhi; d++) {
            double x = L + (d - dlo) / (dhi - dlo) * pw;
            s.line(x, T, x, T + ph, "#dddddd", 1, null);
            s.text(x, T + ph + 16, label(Math.pow(10, d)), "middle", 11, null);
        }
        for (int i = 0; i <= 4; i++) {
            double y = T + ph - i / 4.0 * ph;
            s.line(L, y, L + pw, y, "#dddddd", 1, null);
            s.text(L - 6, y + 4, String.format(Locale.ROOT, "%.2f", i / 4.0), "end", 11, null);
        }
        int k = 0;
        for (var e : series.entrySet()) {
            if (k >= MAX_LINES) break;
            double[][] pts = e.getValue();
            double[] xs = new double[pts.length * 2 + 1], ys = new double[pts.length * 2 + 1];
            int m = 0;
            double prev = 0;
            for (double[] p : pts) {
                double x = L + (Math.log10(Math.max(p[0] / 1e3, 0.01)) - dlo) / (dhi - dlo) * pw;
                xs[m] = x; ys[m++] = T + ph - prev * ph; // step
                xs[m] = x; ys[m++] = T + ph - p[1] * ph;
                prev = p[1];
            }
            String c = COLORS[k % COLORS.length];
            s.polyline(xs, ys, m, c, 1.8, null);
            legend(s, k, e.getKey(), c, null);
            k++;
        }
        return s.toString();
    }

    /** CPU share (pCPUs) per window, with each series' fair share dashed. */
    public static String shareOverTime(String title, List<RunResult.Series> series) {
        Svg s = new Svg(W, H);
        frame(s, title, "time after warm-up (s)", "CPU share (pCPUs)");
        double tmax = 0, ymax = 0;
        for (var x : series) {
            tmax = Math.max(tmax, x.share().length * x.windowSeconds());
            for (double v : x.share()) ymax = Math.max(ymax, v);
            for (double v : x.fair()) ymax = Math.max(ymax, v);
        }
        if (series.isEmpty() || tmax == 0) {
            s.text(W / 2.0, H / 2.0, "no samples", "middle", 14, null);
            return s.toString();
        }
        ymax = niceCeil(ymax * 1.05);
        double pw = W - L - R, ph = H - T - B;
        for (int i = 0; i <= 5; i++) {
            double y = T + ph - i / 5.0 * ph;
            s.line(L, y, L + pw, y, "#dddddd", 1, null);
            s.text(L - 6, y + 4, trim(ymax * i / 5), "end", 11, null);
            double x = L + i / 5.0 * pw;
            s.text(x, T + ph + 16, trim(tmax * i / 5), "middle", 11, null);
        }
        int k = 0;
        for (var x : series) {
            if (k >= MAX_LINES) break;
            int n = x.share().length;
            double[] xs = new double[n], ys = new double[n], fy = new double[n];
            for (int i = 0; i < n; i++) {
                xs[i] = L + (i + 1) * x.windowSeconds() / tmax * pw;
                ys[i] = T + ph - x.share()[i] / ymax * ph;
                fy[i] = T + ph - x.fair()[i] / ymax * ph;
            }
            String c = COLORS[k % COLORS.length];
            s.polyline(xs, ys, n, c, 1.4, null);
            s.polyline(xs, fy, n, c, 1, "5,4");
            legend(s, k, x.name(), c, null);
            k++;
        }
        s.text(L + pw + 12, T + ph, "dashed: fair share", "start", 11, "fill=\"#555555\"");
        return s.toString();
    }

    private static void frame(Svg s, String title, String xl, String yl) {
        double pw = W - L - R, ph = H - T - B;
        s.text(W / 2.0, 22, title, "middle", 14, "font-weight=\"bold\"");
        s.rect(L, T, pw, ph, "none", "#333333");
        s.text(L + pw / 2, H - 12, xl, "middle", 12, null);
        s.text(16, T + ph / 2, yl, "middle", 12, "transform=\"rotate(-90 16 " + Svg.n(T + ph / 2) + ")\"");
    }

    private static void legend(Svg s, int k, String name, String color, String dash) {
        double x = W - R + 12, y = T + 10 + k * 18;
        s.line(x, y, x + 22, y, color, 2.5, dash);
        s.text(x + 28, y + 4, name.length() > 26 ? name.substring(0, 25) + "~" : name, "start", 11, null);
    }

    static String label(double us) {
        if (us >= 1e6) return trim(us / 1e6) + " s";
        if (us >= 1e3) return trim(us / 1e3) + " ms";
        return trim(us) + " us";
    }

    static String trim(double v) {
        return Durations.trim(v);
    }

    static double niceCeil(double v) {
        if (v <= 0) return 1;
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10}) if (m * p >= v) return m * p;
        return 10 * p;
    }
}
