package dev.feedserver.server.generate;

/**
 * The price of a device-hour, which turns measured busy time into cost: a stage that kept its
 * model busy for {@code s} seconds costs {@code s / 3600 * usdPerDeviceHour}.
 *
 * <p>Threading and lifecycle: an immutable value.
 *
 * @param usdPerDeviceHour USD per hour of the device the stages run on (a CPU core here), {@code >= 0}
 */
public record GenerationPrice(double usdPerDeviceHour) {

    /** Checks the price is finite and not negative. */
    public GenerationPrice {
        if (!(usdPerDeviceHour >= 0) || Double.isInfinite(usdPerDeviceHour)) {
            throw new IllegalArgumentException("the price per device-hour must be a finite number >= 0 (got "
                    + usdPerDeviceHour + ")");
        }
    }

    /** The cost of {@code busyNanos} of device time, in USD. */
    public double cost(long busyNanos) {
        return busyNanos / 3.6e12 * usdPerDeviceHour;
    }
}
