-- Waline's tables for its PostgreSQL storage, as its project ships them for a new install
-- (assets/waline.pgsql in github.com/walinejs/waline; the npm package does not carry the file).
-- Same tables, columns, types and defaults, and, as upstream, no index beyond the primary keys: the
-- bench measures Waline as an install made from its instructions runs. Unquoted camelCase names
-- fold to lower case, which is what its storage layer (service/storage/postgresql.js) expects.
create sequence wl_comment_seq;
create table wl_comment (
  id int not null default nextval('wl_comment_seq') check (id > 0) primary key,
  user_id int default null,
  comment text,
  insertedAt timestamp(0) without time zone not null default current_timestamp,
  ip varchar(100) default '',
  link varchar(255) default null,
  mail varchar(255) default null,
  nick varchar(255) default null,
  pid int default null,
  rid int default null,
  sticky numeric default null,
  status varchar(50) not null default '',
  "like" int default null,
  ua text,
  url varchar(255) default null,
  createdAt timestamp(0) without time zone null default current_timestamp,
  updatedAt timestamp(0) without time zone null default current_timestamp
);

create sequence wl_counter_seq;
create table wl_counter (
  id int not null default nextval('wl_counter_seq') check (id > 0) primary key,
  time int default null,
  reaction0 int default null,
  reaction1 int default null,
  reaction2 int default null,
  reaction3 int default null,
  reaction4 int default null,
  reaction5 int default null,
  reaction6 int default null,
  reaction7 int default null,
  reaction8 int default null,
  url varchar(255) not null default '',
  createdAt timestamp(0) without time zone null default current_timestamp,
  updatedAt timestamp(0) without time zone null default current_timestamp
);

create sequence wl_users_seq;
create table wl_users (
  id int not null default nextval('wl_users_seq') check (id > 0) primary key,
  display_name varchar(255) not null default '',
  email varchar(255) not null default '',
  password varchar(255) not null default '',
  type varchar(50) not null default '',
  label varchar(255) default null,
  url varchar(255) default null,
  avatar varchar(255) default null,
  github varchar(255) default null,
  twitter varchar(255) default null,
  facebook varchar(255) default null,
  google varchar(255) default null,
  weibo varchar(255) default null,
  qq varchar(255) default null,
  oidc varchar(255) default null,
  huawei varchar(255) default null,
  "2fa" varchar(32) default null,
  createdAt timestamp(0) without time zone null default current_timestamp,
  updatedAt timestamp(0) without time zone null default current_timestamp
);
