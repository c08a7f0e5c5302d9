package dev.concerto.bench;

import dev.concerto.bench.report.Table;
import java.util.List;

/** One benchmark suite. Each runs real processes on loopback, is bounded in time, and stops them all. */
public interface Suite {

    /** The name given on the command line ({@code onset}, {@code schedule}, ...). */
    String name();

    /** One line for {@code --help} and the report. */
    String description();

    /** Runs the suite and returns its tables; progress goes to {@code ctx.log()}. */
    List<Table> run(BenchContext ctx) throws Exception;
}
