package io.flinkruler.remotewrite;

import io.flinkruler.remotewrite.internal.WriteBatchTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;

import java.lang.reflect.Type;
import java.util.Map;

/** Gives {@link WriteBatch} its own Flink serializer so that it never falls back to Kryo. */
public final class WriteBatchTypeInfoFactory extends TypeInfoFactory<WriteBatch> {
    @Override
    public TypeInformation<WriteBatch> createTypeInfo(Type type, Map<String, TypeInformation<?>> genericParameters) {
        return WriteBatchTypeInfo.INSTANCE;
    }
}
