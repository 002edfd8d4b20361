#include "store/mysql_error.h"

#include <Poco/Data/DataException.h>
#include <Poco/Data/MySQL/MySQLException.h>
#include <gtest/gtest.h>

namespace podmon::store {
namespace {

TEST(MySqlErrorTest, ReadsTheErrnoFromTheMessage) {
  EXPECT_EQ(mysqlErrno("[Comment]: mysql_stmt_prepare error\t[mysql_stmt_error]: Server has gone away\t"
                       "[mysql_stmt_errno]: 2006\t[mysql_stmt_sqlstate]: HY000"),
            2006);
  EXPECT_EQ(mysqlErrno("[mysql_error]: Lost connection\t[mysql_errno]: 2013"), 2013);
  EXPECT_EQ(mysqlErrno("no number here"), std::nullopt);
  EXPECT_EQ(mysqlErrno("[mysql_stmt_errno]: 0 [mysql_errno]: 1213"), 1213);
}

TEST(MySqlErrorTest, Classifies) {
  using Poco::Data::MySQL::StatementException;
  EXPECT_EQ(classifyMySqlError(StatementException("[mysql_stmt_errno]: 2006")), MySqlErrorKind::kConnection);
  EXPECT_EQ(classifyMySqlError(StatementException("[mysql_stmt_errno]: 2013")), MySqlErrorKind::kConnection);
  EXPECT_EQ(classifyMySqlError(StatementException("[mysql_stmt_errno]: 1213")), MySqlErrorKind::kTransient);
  EXPECT_EQ(classifyMySqlError(StatementException("[mysql_stmt_errno]: 1205")), MySqlErrorKind::kTransient);
  EXPECT_EQ(classifyMySqlError(StatementException("[mysql_stmt_errno]: 1146")), MySqlErrorKind::kOther);
  EXPECT_EQ(classifyMySqlError(StatementException("[mysql_stmt_errno]: 1406")), MySqlErrorKind::kRejected);
  EXPECT_EQ(classifyMySqlError(StatementException("[mysql_stmt_errno]: 1366")), MySqlErrorKind::kRejected);
  EXPECT_EQ(classifyMySqlError(StatementException("[mysql_stmt_errno]: 1153")), MySqlErrorKind::kRejected);
  EXPECT_EQ(classifyMySqlError(Poco::Data::ConnectionFailedException("Access denied")), MySqlErrorKind::kConnection);
  EXPECT_EQ(classifyMySqlError(Poco::Data::DataException("MySQL server has gone away")), MySqlErrorKind::kConnection);
}

}  // namespace
}  // namespace podmon::store
