// Copyright 2021 FerretDB Inc.
//
// Added to github.com/FerretDB/FerretDB v1.24.2 (Apache License 2.0) at
// build time (see scripts/mongo-test-server.sh), after msg_logout.go.
//
// Licensed under the Apache License, Version 2.0 (the "License");
// you may not use this file except in compliance with the License.
// You may obtain a copy of the License at
//
//     http://www.apache.org/licenses/LICENSE-2.0
//
// Unless required by applicable law or agreed to in writing, software
// distributed under the License is distributed on an "AS IS" BASIS,
// WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
// See the License for the specific language governing permissions and
// limitations under the License.

package handler

import (
	"context"

	"github.com/FerretDB/wire"

	"github.com/FerretDB/FerretDB/internal/types"
	"github.com/FerretDB/FerretDB/internal/util/must"
)

// MsgEndSessions implements `endSessions` command.
//
// FerretDB v1 keeps no server-side session state, so there is nothing to
// end; drivers (libmongoc, pymongo) send it when a client is closed, and
// libmongoc logs a warning to stderr when the server does not know it.
func (h *Handler) MsgEndSessions(connCtx context.Context, msg *wire.OpMsg) (*wire.OpMsg, error) {
	return documentOpMsg(
		must.NotFail(types.NewDocument(
			"ok", float64(1),
		)),
	)
}
