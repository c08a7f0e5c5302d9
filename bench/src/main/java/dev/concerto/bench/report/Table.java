package dev.concerto.bench.report;

import java.util.ArrayList;
import java.util.List;

/** A titled table of strings, printed to a terminal or written as Markdown. Not thread-safe. */
public final class Table {

    private final String title;
    private final List<String> columns;
    private final List<List<String>> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    public Table(String title, String... columns) {
        this.title = title;
        this.columns = List.of(columns);
    }

    public Table row(Object... cells) {
        if (cells.length != columns.size()) {
            throw new IllegalArgumentException("expected " + columns.size() + " cells, got " + cells.length);
        }
        List<String> r = new ArrayList<>();
        for (Object c : cells) {
            r.add(String.valueOf(c));
        }
        rows.add(r);
        return this;
    }

    /** A line printed under the table: a caveat, what a column means, a chart's file (written as a link when it ends in .png). */
    public Table note(String text) {
        notes.add(text);
        return this;
    }

    public String title() {
        return title;
    }

    public List<List<String>> rows() {
        return List.copyOf(rows);
    }

    /** Fixed-width text for a terminal. */
    public String toText() {
        int[] width = new int[columns.size()];
        for (int i = 0; i < width.length; i++) {
            width[i] = columns.get(i).length();
            for (List<String> r : rows) {
                width[i] = Math.max(width[i], r.get(i).length());
            }
        }
        StringBuilder sb = new StringBuilder(title).append('\n');
        appendLine(sb, columns, width);
        StringBuilder rule = new StringBuilder();
        for (int w : width) {
            rule.append("-".repeat(w)).append("  ");
        }
        sb.append(rule.toString().stripTrailing()).append('\n');
        for (List<String> r : rows) {
            appendLine(sb, r, width);
        }
        for (String n : notes) {
            sb.append(n.endsWith(".png") ? "chart: " + n : n).append('\n');
        }
        return sb.toString();
    }

    /** A GitHub-flavoured Markdown table under a level-3 heading. */
    public String toMarkdown() {
        StringBuilder sb = new StringBuilder("### ").append(title).append("\n\n| ");
        sb.append(String.join(" | ", columns)).append(" |\n|");
        sb.append("---|".repeat(columns.size())).append('\n');
        for (List<String> r : rows) {
            sb.append("| ").append(String.join(" | ", r)).append(" |\n");
        }
        for (String n : notes) {
            sb.append('\n').append(n.endsWith(".png") ? "![" + n + "](" + n + ")" : n).append('\n');
        }
        return sb.toString();
    }

    private static void appendLine(StringBuilder sb, List<String> cells, int[] width) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            line.append(String.format("%-" + width[i] + "s  ", cells.get(i)));
        }
        sb.append(line.toString().stripTrailing()).append('\n');
    }
}
