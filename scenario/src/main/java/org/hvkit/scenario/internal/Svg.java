package org.hvkit.scenario.internal;

import java.util.Locale;

/** A minimal SVG writer: lines, polylines, rectangles and text, with escaping. */
final class Svg {
    private final StringBuilder sb = new StringBuilder();
    private final int width, height;

    Svg(int width, int height) {
        this.width = width;
        this.height = height;
        sb.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
          .append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width).append("\" height=\"").append(height)
          .append("\" viewBox=\"0 0 ").append(width).append(' ').append(height)
          .append("\" font-family=\"sans-serif\" font-size=\"12\">\n")
          .append("<rect x=\"0\" y=\"0\" width=\"").append(width).append("\" height=\"").append(height).append("\" fill=\"white\"/>\n");
    }

    static String n(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    Svg line(double x1, double y1, double x2, double y2, String stroke, double w, String dash) {
        sb.append("<line x1=\"").append(n(x1)).append("\" y1=\"").append(n(y1)).append("\" x2=\"").append(n(x2)).append("\" y2=\"").append(n(y2))
          .append("\" stroke=\"").append(stroke).append("\" stroke-width=\"").append(n(w)).append('"');
        if (dash != null) sb.append(" stroke-dasharray=\"").append(dash).append('"');
        sb.append("/>\n");
        return this;
    }

    Svg polyline(double[] xs, double[] ys, int count, String stroke, double w, String dash) {
        if (count == 0) return this;
        sb.append("<polyline fill=\"none\" stroke=\"").append(stroke).append("\" stroke-width=\"").append(n(w)).append('"');
        if (dash != null) sb.append(" stroke-dasharray=\"").append(dash).append('"');
        sb.append(" points=\"");
        for (int i = 0; i < count; i++) sb.append(i == 0 ? "" : " ").append(n(xs[i])).append(',').append(n(ys[i]));
        sb.append("\"/>\n");
        return this;
    }

    Svg rect(double x, double y, double w, double h, String fill, String stroke) {
        sb.append("<rect x=\"").append(n(x)).append("\" y=\"").append(n(y)).append("\" width=\"").append(n(w)).append("\" height=\"").append(n(h))
          .append("\" fill=\"").append(fill).append("\" stroke=\"").append(stroke == null ? "none" : stroke).append("\"/>\n");
        return this;
    }

    Svg text(double x, double y, String text, String anchor, int size, String extra) {
        sb.append("<text x=\"").append(n(x)).append("\" y=\"").append(n(y)).append("\" text-anchor=\"").append(anchor)
          .append("\" font-size=\"").append(size).append('"');
        if (extra != null) sb.append(' ').append(extra);
        sb.append('>').append(esc(text)).append("</text>\n");
        return this;
    }

    int width() { return width; }
    int height() { return height; }

    @Override
    public String toString() {
        return sb + "</svg>\n";
    }
}
