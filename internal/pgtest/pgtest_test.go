package pgtest_test

import (
	"context"
	"os"
	"testing"

	"github.com/touchstone-cx/touchstone/internal/pgtest"
)

// The sharded setup routes rows to the shards and reads them back
// through the coordinator, and every server is gone after the test.
func TestShardedRoutesRows(t *testing.T) {
	var dirs []string
	t.Run("cluster", func(t *testing.T) {
		sh := pgtest.StartSharded(t, [2][]string{{"a"}, {"b", "c"}}, pgtest.Table{Name: "answers", Columns: "wave text, score int", Key: "wave"})
		dirs = append(dirs, sh.Coordinator.Dir, sh.Shards[0].Dir, sh.Shards[1].Dir)
		sh.Coordinator.Exec(t, "INSERT INTO answers VALUES ('a', 1), ('b', 2), ('c', 3), ('c', 4)")
		ctx := context.Background()
		for i, want := range []int{1, 3} {
			var n int
			if err := sh.Shards[i].Conn(t).QueryRow(ctx, "SELECT count(*) FROM answers").Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n != want {
				t.Errorf("shard %d holds %d rows", i, n)
			}
		}
		var sum int
		if err := sh.Coordinator.Conn(t).QueryRow(ctx, "SELECT sum(score) FROM answers").Scan(&sum); err != nil {
			t.Fatal(err)
		}
		if sum != 10 {
			t.Errorf("sum through the coordinator = %d, want 10", sum)
		}
	})
	for _, d := range dirs {
		if _, err := os.Stat(d); !os.IsNotExist(err) {
			t.Errorf("%s still exists after the test", d)
		}
	}
}
