#include "store/rejected_data_exception.h"

#include <typeinfo>

namespace podmon::store {

POCO_IMPLEMENT_EXCEPTION(RejectedDataException, StoreException, "Store rejected the data")

}  // namespace podmon::store
