package io.flinkruler.source;

import io.flinkruler.source.typeinfo.ValueTypeInfo;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** Type information of {@link Sample}; use {@link #INSTANCE} where Flink asks for explicit types. */
public final class SampleTypeInfo extends ValueTypeInfo<Sample> {
    private static final long serialVersionUID = 1L;
    public static final SampleTypeInfo INSTANCE = new SampleTypeInfo();

    private SampleTypeInfo() {
        super(Sample.class);
    }

    @Override
    protected TypeSerializer<Sample> serializer() { return SampleSerializer.INSTANCE; }
}
