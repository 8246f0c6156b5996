package charts
import ("testing";"fmt")
func TestDump(t *testing.T){ f:=loadFixture(t); out:=renderAll(t,f); fmt.Println(out["heatmap"][:3000]); fmt.Println(out["trend"])}
