using System.Numerics;
using System.Runtime.CompilerServices;

namespace Kernels.Simd;

/// <summary>
/// The positions of the set bits of a mask, ascending: <c>foreach (int j in new SetBits(mask))</c>. How a
/// <see cref="IMatchSink"/> turns the masks of <see cref="MaskScan"/> into indices; each step clears the lowest set
/// bit, so the cost is one trailing-zero count per match, whatever the mask's width.
/// </summary>
/// <param name="mask">Bit j set means position j is listed.</param>
public readonly struct SetBits(ulong mask)
{
    /// <summary>The enumerator over the positions.</summary>
    public Enumerator GetEnumerator() => new(mask);

    /// <summary>Steps through the set bits of a mask from the lowest.</summary>
    public struct Enumerator
    {
        private ulong _rest;

        internal Enumerator(ulong mask)
        {
            _rest = mask;
            Current = -1;
        }

        /// <summary>The position of the current set bit.</summary>
        public int Current { get; private set; }

        /// <summary>Moves to the next set bit; false when none is left.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool MoveNext()
        {
            if (_rest == 0)
            {
                return false;
            }
            Current = BitOperations.TrailingZeroCount(_rest);
            _rest &= _rest - 1;
            return true;
        }
    }
}
