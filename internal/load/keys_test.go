package load

import "github.com/touchstone-cx/touchstone/internal/model"

func cellKey(w, j, t, a string) model.CellKey {
	return model.CellKey{Wave: w, Journey: j, Touchpoint: t, Attribute: a}
}
func touchKey(w, j, t string) model.TouchKey {
	return model.TouchKey{Wave: w, Journey: j, Touchpoint: t}
}
