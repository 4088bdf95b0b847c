package dev.forklift.bench;

/**
 * A {@link BenchCase} whose name, description, unit, direction and target are fixed at construction, so that a
 * case class holds only its two measurements.
 */
public abstract class DescribedCase implements BenchCase {
    private final String name;
    private final String description;
    private final String unit;
    private final boolean higherIsBetter;
    private final double targetRatio;

    /**
     * @param name           the short name used with {@code --case}.
     * @param description    one line saying what is measured on each side.
     * @param unit           the unit of both measurements.
     * @param higherIsBetter true for throughput, false for latency or time.
     * @param targetRatio    the ratio Forklift must reach, as {@link BenchCase#targetRatio()} defines it.
     */
    protected DescribedCase(final String name, final String description, final String unit,
        final boolean higherIsBetter, final double targetRatio) {
        this.name = name;
        this.description = description;
        this.unit = unit;
        this.higherIsBetter = higherIsBetter;
        this.targetRatio = targetRatio;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String description() {
        return description;
    }

    @Override
    public final String unit() {
        return unit;
    }

    @Override
    public final boolean higherIsBetter() {
        return higherIsBetter;
    }

    @Override
    public final double targetRatio() {
        return targetRatio;
    }
}
