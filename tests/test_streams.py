import math
import statistics

from journeysim.sim.streams import Stream


def test_same_key_same_sequence_and_purposes_are_independent():
    s1, s2 = Stream(1, 0, 5, "exits"), Stream(1, 0, 5, "exits")
    assert [s1.random() for _ in range(50)] == [s2.random() for _ in range(50)]
    other = Stream(1, 0, 5, "work")
    s3 = Stream(1, 0, 5, "exits")
    assert [other.random() for _ in range(5)] != [s3.random() for _ in range(5)]


def test_drawing_from_one_purpose_does_not_shift_another():
    exits = Stream(3, 0, 9, "exits")
    expected = [exits.random() for _ in range(10)]
    busy = Stream(3, 0, 9, "work")
    for _ in range(1000):
        busy.random()
    again = Stream(3, 0, 9, "exits")
    assert [again.random() for _ in range(10)] == expected


def test_seed_replication_and_person_all_change_the_stream():
    base = Stream(1, 0, 1, "x").random()
    assert Stream(2, 0, 1, "x").random() != base
    assert Stream(1, 1, 1, "x").random() != base
    assert Stream(1, 0, 2, "x").random() != base


def test_uniform_moments():
    s = Stream(11, 0, 0, "uniform")
    u = [s.random() for _ in range(40000)]
    assert min(u) >= 0.0 and max(u) < 1.0
    assert abs(statistics.fmean(u) - 0.5) < 0.01
    assert abs(statistics.pvariance(u) - 1 / 12) < 0.002


def test_exponential_and_triangular_means_match_theory():
    s = Stream(12, 0, 0, "dist")
    rate = 0.25
    draws = [s.exponential(rate) for _ in range(40000)]
    assert abs(statistics.fmean(draws) - 1 / rate) < 0.06
    tri = [s.triangular(0.1, 0.6, 1.0) for _ in range(40000)]
    assert abs(statistics.fmean(tri) - (0.1 + 0.6 + 1.0) / 3) < 0.005
    assert min(tri) >= 0.1 and max(tri) <= 1.0


def test_zero_rate_never_happens_and_index_follows_weights():
    s = Stream(13, 0, 0, "misc")
    assert math.isinf(s.exponential(0.0))
    picks = [s.index((1.0, 3.0, 0.0)) for _ in range(20000)]
    assert picks.count(2) == 0
    assert abs(picks.count(1) / len(picks) - 0.75) < 0.015


def test_the_run_key_and_the_inlined_draws_give_the_same_streams():
    """Stream.keyed and some_triangular are shortcuts: the same numbers as the long way."""
    from journeysim.sim.streams import run_key

    run = run_key(7, 2)
    for person, purpose in ((0, "exits"), (12345, "traits"), (-1, "inflow.JSA")):
        assert Stream.keyed(run, person, purpose).random() == Stream(7, 2, person,
                                                                      purpose).random()
    table = [(0.3, 0.1, 0.4, 0.9), (0.0, 0.1, 0.5, 1.0), (1.0, 0.2, 0.2, 0.8),
             (0.5, 0.5, 0.5, 0.5), (0.7, 0.0, 1.0, 1.0)]
    short, long = Stream(3, 0, 9, "barriers"), Stream(3, 0, 9, "barriers")
    for _ in range(500):
        expected = [long.triangular(low, mode, high) if long.random() < chance else 0.0
                    for chance, low, mode, high in table]
        assert short.some_triangular(table) == expected
    assert short.random() == long.random(), "both streams end in the same state"


def test_a_stream_worked_out_ahead_gives_the_same_draws_in_the_same_order():
    """Ahead draws its uniforms in numpy blocks: every method, across block edges, as Stream."""
    from journeysim.sim.streams import BLOCK, Ahead, person_keys, run_key, uniforms

    run = run_key(5, 1)
    keys = person_keys(run, 40, 6, "traits")
    assert keys == [Stream.keyed(run, person, "traits")._state for person in range(40, 46)]
    first = uniforms(keys, 7)
    table = [(0.3, 0.1, 0.4, 0.9), (0.0, 0.1, 0.5, 1.0), (1.0, 0.2, 0.2, 0.8),
             (0.5, 0.5, 0.5, 0.5), (0.7, 0.0, 1.0, 1.0)]
    calls = [("random", ()), ("exponential", (0.3,)), ("exponential", (0.0,)),
             ("bernoulli", (0.4,)), ("triangular", (1.0, 2.0, 5.0)),
             ("triangular", (2.0, 2.0, 2.0)), ("some_triangular", (table,)),
             ("index", ([0.2, 0.5, 0.3],)), ("uniform", (-5.0, 5.0)), ("lognormal", (2.0, 0.5))]
    drawn = 0
    for person, key, ahead in zip(range(40, 46), keys, first, strict=True):
        plain = Stream.keyed(run, person, "traits")
        fast = Ahead(key, ahead)
        for step in range(3 * BLOCK):
            name, args = calls[(step * 7 + person) % len(calls)]
            assert getattr(fast, name)(*args) == getattr(plain, name)(*args), (person, step, name)
            drawn += 1
        assert fast.random() == plain.random()
    assert drawn == 6 * 3 * BLOCK
