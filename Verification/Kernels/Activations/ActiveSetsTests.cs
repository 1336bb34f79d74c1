using Kernels.Activations;
using Kernels.Verification.Infrastructure;

namespace Kernels.Verification.Kernels.Activations;

/// <summary><see cref="ActiveSets"/> against a naive model (one list of pairs per row), through random sequences of writes.</summary>
public sealed class ActiveSetsTests
{
    [Fact]
    public void Random_writes_match_a_list_per_row()
    {
        for (int seed = 0; seed < 20; seed++)
        {
            var random = new System.Random(seed);
            int rows = random.Next(0, 6);
            var sets = new ActiveSets(rows, random.Next(0, 3));
            var model = new List<(int Index, float Value)>[rows];
            for (int row = 0; row < rows; row++)
            {
                model[row] = [];
            }
            for (int step = 0; step < 200 && rows > 0; step++)
            {
                int row = random.Next(rows);
                string context = $"seed {seed}, step {step}, row {row}";
                switch (random.Next(5))
                {
                    case 0:
                    {
                        (int[] indices, float[] values) = Draw(random);
                        sets.Set(row, indices, values);
                        model[row] = [.. indices.Zip(values)];
                        break;
                    }
                    case 1:
                    {
                        // A producer: grow while writing past the committed entries, then commit.
                        (int[] indices, float[] values) = Draw(random);
                        for (int t = 0; t < indices.Length; t++)
                        {
                            sets.Reserve(row, t + 1);
                            sets.WritableIndices(row)[t] = indices[t];
                            sets.WritableValues(row)[t] = values[t];
                        }
                        sets.Commit(row, indices.Length);
                        model[row] = [.. indices.Zip(values)];
                        break;
                    }
                    case 2:
                    {
                        // Growing keeps what the buffers hold, committed or not.
                        int[] before = sets.WritableIndices(row).ToArray();
                        // Each growth at least doubles the buffers, so grow small rows only.
                        sets.Reserve(row, Math.Min(sets.Capacity(row) + random.Next(1, 40), 100));
                        Assert.True(sets.Capacity(row) >= Math.Min(before.Length + 1, 100), context);
                        Assert.Equal(before, sets.WritableIndices(row)[..before.Length].ToArray());
                        break;
                    }
                    case 3:
                    {
                        // A bad commit: the row keeps its entries.
                        (int[] indices, float[] values) = Draw(random, minimum: 2);
                        (indices[0], indices[1]) = (indices[1], indices[0]);
                        Assert.Equal("indices", Assert.Throws<ArgumentException>(() => sets.Set(row, indices, values)).ParamName);
                        if (sets.Capacity(row) >= 2)
                        {
                            indices.AsSpan(0, 2).CopyTo(sets.WritableIndices(row));
                            Assert.Throws<ArgumentException>(() => sets.Commit(row, 2));
                            // The buffers now differ from the committed entries only if the row held fewer than two.
                            for (int t = 0; t < Math.Min(2, model[row].Count); t++)
                            {
                                sets.WritableIndices(row)[t] = model[row][t].Index;
                            }
                        }
                        break;
                    }
                    default:
                        if (random.Next(10) == 0)
                        {
                            sets.Clear();
                            foreach (var list in model)
                            {
                                list.Clear();
                            }
                        }
                        break;
                }
                Check(sets, model, context);
            }
        }
    }

    [Fact]
    public void Rows_filled_in_parallel_are_independent()
    {
        const int rows = 64;
        var sets = new ActiveSets(rows);
        Parallel.For(0, rows, row =>
        {
            for (int t = 0; t < row * 7; t++)
            {
                sets.Reserve(row, t + 1);
                sets.WritableIndices(row)[t] = 3 * t + row;
                sets.WritableValues(row)[t] = row - t;
            }
            sets.Commit(row, row * 7);
        });
        long total = 0;
        for (int row = 0; row < rows; row++)
        {
            Assert.Equal(Enumerable.Range(0, row * 7).Select(t => 3 * t + row), sets.Indices(row).ToArray());
            Assert.Equal(Enumerable.Range(0, row * 7).Select(t => (float)(row - t)), sets.Values(row).ToArray());
            total += row * 7;
        }
        Assert.Equal(total, sets.TotalCount);
    }

    [Fact]
    public void Refilling_within_capacity_does_not_allocate()
    {
        var sets = new ActiveSets(3, capacity: 4);
        int[] indices = [1, 5, 9, 200];
        float[] values = [1f, 2f, 3f, 4f];
        long allocated = Allocation.Measure(() =>
        {
            sets.Clear();
            sets.Set(0, indices, values);
            sets.Reserve(1, 4);
            indices.CopyTo(sets.WritableIndices(1));
            sets.Commit(1, 3);
            _ = sets.TotalCount + sets.Count(2) + sets.Indices(0).Length + sets.Values(1).Length;
        });
        Assert.Equal(0, allocated);
        Assert.Equal(7, sets.TotalCount);
    }

    [Fact]
    public void Bad_arguments_throw_and_name_themselves()
    {
        Assert.Equal("rows", Assert.Throws<ArgumentOutOfRangeException>(() => new ActiveSets(-1)).ParamName);
        Assert.Equal("capacity", Assert.Throws<ArgumentOutOfRangeException>(() => new ActiveSets(2, -1)).ParamName);
        var sets = new ActiveSets(2, 2);
        sets.Set(1, [4, 6], [0.5f, 1.5f]);
        foreach (int row in new[] { -1, 2 })
        {
            Assert.Equal("row", Assert.Throws<ArgumentOutOfRangeException>(() => sets.Count(row)).ParamName);
            Assert.Equal("row", Assert.Throws<ArgumentOutOfRangeException>(() => sets.Capacity(row)).ParamName);
            Assert.Equal("row", Assert.Throws<ArgumentOutOfRangeException>(() => sets.Indices(row).Length).ParamName);
            Assert.Equal("row", Assert.Throws<ArgumentOutOfRangeException>(() => sets.Values(row).Length).ParamName);
            Assert.Equal("row", Assert.Throws<ArgumentOutOfRangeException>(() => sets.WritableIndices(row).Length).ParamName);
            Assert.Equal("row", Assert.Throws<ArgumentOutOfRangeException>(() => sets.WritableValues(row).Length).ParamName);
            Assert.Equal("row", Assert.Throws<ArgumentOutOfRangeException>(() => sets.Reserve(row, 1)).ParamName);
            Assert.Equal("row", Assert.Throws<ArgumentOutOfRangeException>(() => sets.Commit(row, 0)).ParamName);
            Assert.Equal("row", Assert.Throws<ArgumentOutOfRangeException>(() => sets.Set(row, [], [])).ParamName);
        }
        Assert.Equal("capacity", Assert.Throws<ArgumentOutOfRangeException>(() => sets.Reserve(1, -1)).ParamName);
        Assert.Equal("count", Assert.Throws<ArgumentOutOfRangeException>(() => sets.Commit(1, -1)).ParamName);
        Assert.Equal("count", Assert.Throws<ArgumentOutOfRangeException>(() => sets.Commit(1, 3)).ParamName);
        Assert.Equal("values", Assert.Throws<ArgumentException>(() => sets.Set(1, [1, 2], [1f])).ParamName);
        Assert.Equal("indices", Assert.Throws<ArgumentException>(() => sets.Set(1, [-1, 2], [1f, 2f])).ParamName);
        Assert.Equal("indices", Assert.Throws<ArgumentException>(() => sets.Set(1, [2, 2], [1f, 2f])).ParamName);
        Assert.Equal([4, 6], sets.Indices(1).ToArray());
        Assert.Equal([0.5f, 1.5f], sets.Values(1).ToArray());
        Assert.Equal(0, sets.Count(0));
    }

    private static (int[] Indices, float[] Values) Draw(System.Random random, int minimum = 0)
    {
        int count = random.Next(minimum, 30);
        var indices = new int[count];
        int next = random.Next(0, 5);
        for (int t = 0; t < count; t++)
        {
            indices[t] = next;
            next += random.Next(1, 9);
        }
        float[] values = Enumerable.Range(0, count).Select(_ => (float)random.NextDouble() * 4 - 2).ToArray();
        return (indices, values);
    }

    private static void Check(ActiveSets sets, List<(int Index, float Value)>[] model, string context)
    {
        Assert.Equal(model.Length, sets.Rows);
        long total = 0;
        for (int row = 0; row < model.Length; row++)
        {
            Assert.True(model[row].Count == sets.Count(row), $"{context}: count of row {row}");
            Assert.True(sets.Capacity(row) >= sets.Count(row), context);
            Assert.Equal(model[row].Select(p => p.Index), sets.Indices(row).ToArray());
            Assert.Equal(model[row].Select(p => p.Value), sets.Values(row).ToArray());
            total += model[row].Count;
        }
        Assert.Equal(total, sets.TotalCount);
    }
}
