package io.flinkruler.source;

import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;

import java.lang.reflect.Type;
import java.util.Map;

/** Tells Flink to use {@link SampleSerializer} for {@link Sample}. */
public final class SampleTypeInfoFactory extends TypeInfoFactory<Sample> {
    @Override
    public TypeInformation<Sample> createTypeInfo(Type t, Map<String, TypeInformation<?>> genericParameters) {
        return SampleTypeInfo.INSTANCE;
    }
}
