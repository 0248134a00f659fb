package pgtest

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
)

func TestFreshDatabase(t *testing.T) {
	ctx := context.Background()
	base := URL(t)
	var name string
	var leftOpen *pgx.Conn // open past the subtest's end: the drop must close it (WITH (FORCE))
	t.Run("fresh", func(t *testing.T) {
		u := FreshDatabase(t)
		if other := FreshDatabase(t); other == u {
			t.Fatalf("two fresh databases share a URL: %s", u)
		}
		conn, err := pgx.Connect(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		leftOpen = conn
		if err := conn.QueryRow(ctx, "SELECT current_database()").Scan(&name); err != nil {
			t.Fatal(err)
		}
		if _, err := conn.Exec(ctx, "CREATE TABLE runs (id int PRIMARY KEY, model text NOT NULL)"); err != nil {
			t.Fatal(err)
		}
		if _, err := conn.Exec(ctx, "INSERT INTO runs VALUES (1, $1)", "resnet50.onnx"); err != nil {
			t.Fatal(err)
		}
		var model string
		if err := conn.QueryRow(ctx, "SELECT model FROM runs WHERE id = 1").Scan(&model); err != nil {
			t.Fatal(err)
		}
		if model != "resnet50.onnx" {
			t.Fatalf("read back %q, want resnet50.onnx", model)
		}
	})
	if leftOpen != nil {
		defer leftOpen.Close(ctx)
	}
	if t.Failed() {
		return
	}

	// The subtest's cleanup dropped its databases.
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var n int
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM pg_database WHERE datname = $1", name).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("database %s still exists after its test ended", name)
	}
}
