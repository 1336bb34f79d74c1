using System.Runtime.Intrinsics;

namespace Kernels.Sketching.Hashing;

/// <summary>
/// The core of a hash family: a hash value uniform on [0, R) with R ≤ 2^<see cref="RangeBits"/>, per key and, where the
/// family has one, per vector of keys. <see cref="HashBatch"/> owns the loops and the maps to buckets and signs, and
/// <see cref="HashEntryPoints"/> the checked members of <see cref="IHashFunction"/>, so every family shares one
/// implementation of them.
/// </summary>
/// <remarks>Keys arrive zero-extended in 64-bit lanes; every overload must return the scalar values lane by lane.</remarks>
internal interface IRawHash
{
    /// <summary>Keys must be below this number (2³² when every 32-bit key is allowed), as <see cref="IHashFunction.KeyCount"/>.</summary>
    ulong KeyCount { get; }

    /// <summary>b with R ≤ 2^b: a value v maps to bucket ⌊v·m / 2^b⌋ of m.</summary>
    int RangeBits { get; }

    /// <summary>Whether <see cref="Hash(Vector512{ulong})"/> runs on this machine.</summary>
    bool IsVectorized512 { get; }

    /// <summary>Whether <see cref="Hash(Vector256{ulong})"/> runs on this machine.</summary>
    bool IsVectorized256 { get; }

    /// <summary>Whether <see cref="Hash(Vector256{uint})"/> runs on this machine: 32-bit values of eight keys in 32-bit lanes (<see cref="RangeBits"/> = 32).</summary>
    bool IsVectorized32 { get; }

    /// <summary>The hash value of one key.</summary>
    ulong Hash(uint key);

    /// <summary>The hash values of eight keys.</summary>
    Vector512<ulong> Hash(Vector512<ulong> keys);

    /// <summary>The hash values of four keys.</summary>
    Vector256<ulong> Hash(Vector256<ulong> keys);

    /// <summary>The 32-bit hash values of eight keys, for table-driven families that gather.</summary>
    Vector256<uint> Hash(Vector256<uint> keys);
}
