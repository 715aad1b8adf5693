package io.flinkruler.source;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.SimpleVersionedSerializer;

import java.util.ArrayList;
import java.util.List;

/**
 * Deterministic synthetic samples for demos and tests (see {@link GeneratedSeries} for the series and
 * {@link GeneratorOptions} for the settings). Targets are divided into splits; each split has its own
 * watermark output, and the record timestamp is the sample time. Bounded when the options give a
 * number of rounds or an end time; then it finishes with the maximum watermark like any bounded source.
 */
public final class GeneratorSource
        implements Source<Sample, GeneratorSplit, List<GeneratorSplit>>, ResultTypeQueryable<Sample> {
    private static final long serialVersionUID = 1L;

    private final GeneratorOptions options;

    public GeneratorSource(GeneratorOptions options) {
        this.options = options;
    }

    public GeneratorOptions options() { return options; }

    @Override
    public Boundedness getBoundedness() {
        return options.bounded() ? Boundedness.BOUNDED : Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SplitEnumerator<GeneratorSplit, List<GeneratorSplit>> createEnumerator(SplitEnumeratorContext<GeneratorSplit> context) {
        long start = options.startTimeMs();
        if (start == GeneratorOptions.START_NOW) {
            long interval = options.interval().toMillis();
            start = Math.floorDiv(System.currentTimeMillis(), interval) * interval;
        }
        int splitCount = options.splits() > 0 ? options.splits() : Math.max(1, context.currentParallelism());
        splitCount = Math.min(splitCount, options.targets());
        List<GeneratorSplit> splits = new ArrayList<>(splitCount);
        for (int i = 0; i < splitCount; i++) {
            int first = (int) ((long) options.targets() * i / splitCount);
            int end = (int) ((long) options.targets() * (i + 1) / splitCount);
            splits.add(new GeneratorSplit(first, end, start, 0));
        }
        return new StaticSplitEnumerator<>(context, splits);
    }

    @Override
    public SplitEnumerator<GeneratorSplit, List<GeneratorSplit>> restoreEnumerator(
            SplitEnumeratorContext<GeneratorSplit> context, List<GeneratorSplit> unassigned) {
        return new StaticSplitEnumerator<>(context, unassigned);
    }

    @Override
    public SimpleVersionedSerializer<GeneratorSplit> getSplitSerializer() { return GeneratorSplitSerializer.INSTANCE; }

    @Override
    public SimpleVersionedSerializer<List<GeneratorSplit>> getEnumeratorCheckpointSerializer() {
        return new SplitListSerializer<>(GeneratorSplitSerializer.INSTANCE);
    }

    @Override
    public SourceReader<Sample, GeneratorSplit> createReader(SourceReaderContext context) {
        return new GeneratorReader(options, System::currentTimeMillis);
    }

    @Override
    public TypeInformation<Sample> getProducedType() { return SampleTypeInfo.INSTANCE; }
}
