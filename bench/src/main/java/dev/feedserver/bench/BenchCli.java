package dev.feedserver.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of {@code bench/target/benchmarks.jar}: benchmark suites that write
 * {@code bench/results/<suite>.json} (and plots), {@code report} to gather those files into one
 * Markdown page, plus {@code jmh} to run JMH directly.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmark suites; each writes bench/results/<suite>.json and PNG plots.",
        subcommands = {KernelsSuite.class, StoreSuite.class, RetrievalSuite.class, IngestSuite.class, FaultsSuite.class, LoadSuite.class, StagesSuite.class, RankingSuite.class, GenerationSuite.class, SchedulerSuite.class, AgentsSuite.class, ReportCommand.class, SimulateCommand.class, BenchCli.Jmh.class, CommandLine.HelpCommand.class})
public final class BenchCli implements Runnable {

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchCli()).execute(args));
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** Raw JMH, e.g. {@code jmh DowncallBenchmark -f 1 -wi 1 -i 3}. */
    @Command(name = "jmh", description = "Run JMH with its own command line (arguments passed through).")
    static final class Jmh implements java.util.concurrent.Callable<Integer> {
        @CommandLine.Parameters(description = "JMH arguments")
        String[] args = new String[0];

        @Override
        public Integer call() throws Exception {
            org.openjdk.jmh.Main.main(args);
            return 0;
        }
    }
}
