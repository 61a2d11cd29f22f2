package org.hvkit.scenario.internal;

/** What a figure is drawn on, so one drawing gives both the SVG and the PNG ({@link Svg}, {@link Png}). */
interface Canvas {
    void line(double x1, double y1, double x2, double y2, String stroke, double w, String dash);

    void polyline(double[] xs, double[] ys, int count, String stroke, double w, String dash);

    void rect(double x, double y, double w, double h, String fill, String stroke);

    /** Text at (x, y) baseline; anchor is start, middle or end; vertical turns it 90° counter-clockwise about (x, y). */
    void text(double x, double y, String text, String anchor, int size, boolean bold, boolean vertical);
}
