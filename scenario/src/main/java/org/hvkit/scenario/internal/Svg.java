package org.hvkit.scenario.internal;

import java.util.Locale;

/** A minimal SVG writer: lines, polylines, rectangles and text, with escaping. */
final class Svg implements Canvas {
    private final StringBuilder sb = new StringBuilder();

    Svg(int width, int height) {
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
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                default -> b.append(c < 0x20 ? '?' : c); // control characters are not allowed in XML 1.0
            }
        }
        return b.toString();
    }

    @Override
    public void line(double x1, double y1, double x2, double y2, String stroke, double w, String dash) {
        sb.append("<line x1=\"").append(n(x1)).append("\" y1=\"").append(n(y1)).append("\" x2=\"").append(n(x2)).append("\" y2=\"").append(n(y2))
          .append("\" stroke=\"").append(stroke).append("\" stroke-width=\"").append(n(w)).append('"');
        if (dash != null) sb.append(" stroke-dasharray=\"").append(dash).append('"');
        sb.append("/>\n");
    }

    @Override
    public void polyline(double[] xs, double[] ys, int count, String stroke, double w, String dash) {
        if (count == 0) return;
        sb.append("<polyline fill=\"none\" stroke=\"").append(stroke).append("\" stroke-width=\"").append(n(w)).append('"');
        if (dash != null) sb.append(" stroke-dasharray=\"").append(dash).append('"');
        sb.append(" points=\"");
        for (int i = 0; i < count; i++) sb.append(i == 0 ? "" : " ").append(n(xs[i])).append(',').append(n(ys[i]));
        sb.append("\"/>\n");
    }

    @Override
    public void rect(double x, double y, double w, double h, String fill, String stroke) {
        sb.append("<rect x=\"").append(n(x)).append("\" y=\"").append(n(y)).append("\" width=\"").append(n(w)).append("\" height=\"").append(n(h))
          .append("\" fill=\"").append(fill).append("\" stroke=\"").append(stroke == null ? "none" : stroke).append("\"/>\n");
    }

    @Override
    public void text(double x, double y, String text, String anchor, int size, boolean bold, boolean vertical) {
        sb.append("<text x=\"").append(n(x)).append("\" y=\"").append(n(y)).append("\" text-anchor=\"").append(anchor)
          .append("\" font-size=\"").append(size).append('"');
        if (bold) sb.append(" font-weight=\"bold\"");
        if (vertical) sb.append(" transform=\"rotate(-90 ").append(n(x)).append(' ').append(n(y)).append(")\"");
        sb.append('>').append(esc(text)).append("</text>\n");
    }

    @Override
    public String toString() {
        return sb + "</svg>\n";
    }
}
