package org.hvkit.api.cpu;

/**
 * A malformed {@code cpuid=} option. The message names the option text, the list element (for
 * the xend list form with more than one element), the 1-based column within that text, and the
 * problem, e.g. {@code cpuid option "host,avxx=0", column 6: unknown CPUID feature "avxx"}.
 */
public final class CpuidOptionException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String option;
    private final int element, column;
    private final String problem;

    /**
     * @param option  the text of the element in error
     * @param element 1-based element of the list form, or 0 when the option is a single string
     * @param column  1-based column within {@code option}
     * @param problem what is wrong, without the position
     */
    public CpuidOptionException(String option, int element, int column, String problem) {
        super("cpuid option " + (element > 0 ? "element " + element + " " : "") + "\"" + option + "\", column " + column + ": " + problem);
        this.option = option;
        this.element = element;
        this.column = column;
        this.problem = problem;
    }

    public String option() { return option; }
    public int element() { return element; }
    public int column() { return column; }
    public String problem() { return problem; }
}
