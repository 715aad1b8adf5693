package io.flinkruler.storage;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Hands test methods (and static {@code @BeforeAll} methods) the storage servers they declare as parameters
 * ({@link S3Proxy}, {@link Azurite}, {@link SwiftStore}, {@link GcsEmulator}): each is started once per test JVM,
 * on first use, and stopped when the run ends, so test classes share them.
 */
public final class ObjectStores implements ParameterResolver {
    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return ObjectStore.class.isAssignableFrom(parameter.getParameter().getType());
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return context.getRoot().getStore(ExtensionContext.Namespace.create(ObjectStores.class))
                .getOrComputeIfAbsent(type, ObjectStores::start, ObjectStore.class);
    }

    private static ObjectStore start(Class<?> type) {
        if (type == S3Proxy.class) return S3Proxy.start();
        if (type == Azurite.class) return Azurite.start();
        if (type == SwiftStore.class) return SwiftStore.start();
        if (type == GcsEmulator.class) return GcsEmulator.start();
        throw new IllegalArgumentException("no object store " + type);
    }
}
