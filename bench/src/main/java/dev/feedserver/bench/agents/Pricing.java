package dev.feedserver.bench.agents;

/**
 * The prices busy time is turned into dollars with: a CPU price per vCPU-hour (a worker thread
 * busy for an hour is one vCPU-hour), and for the projection to a 24 GB GPU an hourly price and
 * the factor by which text-model busy time is assumed to shrink there. Other stages (speech,
 * the title) are assumed to stay on the CPU at the CPU price.
 *
 * <p>Threading and lifecycle: an immutable value.
 *
 * @param cpuUsdPerVcpuHour dollars per vCPU-hour
 * @param gpuUsdPerHour     dollars per hour of the GPU machine
 * @param gpuTextSpeedup    text busy time on the CPU divided by text busy time on the GPU (assumed)
 */
public record Pricing(double cpuUsdPerVcpuHour, double gpuUsdPerHour, double gpuTextSpeedup) {

    /** All positive. */
    public Pricing {
        if (!(cpuUsdPerVcpuHour > 0) || !(gpuUsdPerHour > 0) || !(gpuTextSpeedup > 0)) {
            throw new IllegalArgumentException("prices and the GPU speed-up must be positive");
        }
    }

    /** Dollars for {@code busySeconds} of one vCPU. */
    public double cpuUsd(double busySeconds) {
        return busySeconds * cpuUsdPerVcpuHour / 3600;
    }

    /** Projected dollars with the text stages on the GPU and the rest on the CPU. */
    public double gpuUsd(double textBusySeconds, double otherBusySeconds) {
        return textBusySeconds / gpuTextSpeedup * gpuUsdPerHour / 3600 + cpuUsd(otherBusySeconds);
    }
}
