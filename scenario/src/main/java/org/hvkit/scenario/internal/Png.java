package org.hvkit.scenario.internal;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/**
 * The same drawing as {@link Svg}, rasterised with java.awt into a PNG. Only off-screen images are
 * used, so it works headless (no display is touched).
 */
final class Png implements Canvas {
    private final BufferedImage img;
    private final Graphics2D g;

    Png(int width, int height) {
        img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
    }

    private static Color color(String c) {
        return c == null || c.equals("none") ? null : Color.decode(c);
    }

    private void stroke(double w, String dash) {
        float[] d = null;
        if (dash != null) {
            String[] p = dash.split(",");
            d = new float[p.length];
            for (int i = 0; i < p.length; i++) d[i] = Float.parseFloat(p[i].trim());
        }
        g.setStroke(new BasicStroke((float) w, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, d, 0f));
    }

    @Override
    public void line(double x1, double y1, double x2, double y2, String stroke, double w, String dash) {
        g.setColor(color(stroke));
        stroke(w, dash);
        g.draw(new java.awt.geom.Line2D.Double(x1, y1, x2, y2));
    }

    @Override
    public void polyline(double[] xs, double[] ys, int count, String stroke, double w, String dash) {
        if (count == 0) return;
        Path2D.Double p = new Path2D.Double();
        p.moveTo(xs[0], ys[0]);
        for (int i = 1; i < count; i++) p.lineTo(xs[i], ys[i]);
        g.setColor(color(stroke));
        stroke(w, dash);
        g.draw(p);
    }

    @Override
    public void rect(double x, double y, double w, double h, String fill, String stroke) {
        var r = new java.awt.geom.Rectangle2D.Double(x, y, w, h);
        Color f = color(fill), s = color(stroke);
        if (f != null) { g.setColor(f); g.fill(r); }
        if (s != null) { g.setColor(s); stroke(1, null); g.draw(r); }
    }

    @Override
    public void text(double x, double y, String text, String anchor, int size, boolean bold, boolean vertical) {
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, bold ? Font.BOLD : Font.PLAIN, size));
        double w = g.getFontMetrics().stringWidth(text);
        double dx = switch (anchor) { case "middle" -> -w / 2; case "end" -> -w; default -> 0; };
        var saved = g.getTransform();
        g.translate(x, y);
        if (vertical) g.rotate(-Math.PI / 2);
        g.drawString(text, (float) dx, 0f);
        g.setTransform(saved);
    }

    byte[] bytes() {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (!ImageIO.write(img, "png", out)) throw new IllegalStateException("no PNG writer in this JVM (javax.imageio)");
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
